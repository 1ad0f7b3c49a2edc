package dev.bulwark.securitykit.boot.jwt;

import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;

/** A servlet service protected by the east/west resource server: GET needs inventory:read, PUT inventory:write. */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableWebSecurity
@RestController
class EastWestTestApp {

    @Bean
    SecurityFilterChain api(HttpSecurity http, EastWestResourceServer eastWest) {
        return http
                .authorizeHttpRequests(authorize -> authorize
                        .requestMatchers(HttpMethod.GET, "/items").hasAuthority("SCOPE_inventory:read")
                        .requestMatchers(HttpMethod.PUT, "/items").hasAuthority("SCOPE_inventory:write")
                        .anyRequest().denyAll())
                .oauth2ResourceServer(oauth2 -> oauth2.authenticationManagerResolver(eastWest))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .build();
    }

    @GetMapping("/items")
    String items(Principal principal, HttpServletRequest request) {
        return principal.getName() + " " + EastWestResourceServer.caller(request).orElseThrow().delegationChain();
    }

    @PutMapping("/items")
    String put(Principal principal) {
        return "stored for " + principal.getName();
    }
}

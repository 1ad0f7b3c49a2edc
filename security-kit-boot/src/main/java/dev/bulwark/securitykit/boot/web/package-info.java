/**
 * The web layer the servlet resource services share: one renderer of API errors as RFC 9457 problem
 * details with RFC 6750 §3 bearer challenges ({@link dev.bulwark.securitykit.boot.web.AbstractApiErrorHandler}),
 * a request body size limit enforced before anything parses the body
 * ({@link dev.bulwark.securitykit.boot.web.BodySizeLimitFilter}), a {@code Location} path that honours a
 * safe {@code X-Forwarded-Prefix} ({@link dev.bulwark.securitykit.boot.web.ForwardedPrefix}) and the
 * stateless security filter chains of a bearer-token API ({@link dev.bulwark.securitykit.boot.web.ApiSecurity}).
 * Spring Web MVC and Spring Security are optional dependencies of this module: a service using this
 * package brings {@code spring-boot-starter-webmvc} and a Spring Security starter.
 */
@NullMarked
package dev.bulwark.securitykit.boot.web;

import org.jspecify.annotations.NullMarked;

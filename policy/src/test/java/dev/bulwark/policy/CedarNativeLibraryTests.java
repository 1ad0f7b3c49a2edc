package dev.bulwark.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.cedarpolicy.AuthorizationEngine;
import com.cedarpolicy.BasicAuthorizationEngine;
import com.cedarpolicy.model.AuthorizationRequest;
import com.cedarpolicy.model.AuthorizationResponse;
import com.cedarpolicy.model.entity.Entity;
import com.cedarpolicy.model.policy.PolicySet;
import com.cedarpolicy.value.EntityTypeName;
import com.cedarpolicy.value.EntityUID;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** cedar-java's uber jar carries a native library (JNI); this proves it loads on this platform. */
class CedarNativeLibraryTests {

    @Test
    void nativeLibraryLoadsAndDecides() throws Exception {
        assertThat(AuthorizationEngine.getCedarLangVersion()).isNotBlank();
        PolicySet policies = PolicySet.parsePolicies("permit(principal == User::\"alice\", action, resource);");
        EntityUID alice = EntityTypeName.parse("User").orElseThrow().of("alice");
        EntityUID bob = EntityTypeName.parse("User").orElseThrow().of("bob");
        EntityUID read = EntityTypeName.parse("Action").orElseThrow().of("read");
        EntityUID doc = EntityTypeName.parse("Doc").orElseThrow().of("1");
        AuthorizationResponse allowed = new BasicAuthorizationEngine().isAuthorized(
                new AuthorizationRequest(alice, read, doc, Map.of()), policies, Set.<Entity>of());
        AuthorizationResponse denied = new BasicAuthorizationEngine().isAuthorized(
                new AuthorizationRequest(bob, read, doc, Map.of()), policies, Set.<Entity>of());
        assertThat(allowed.success.orElseThrow().isAllowed()).isTrue();
        assertThat(denied.success.orElseThrow().isAllowed()).isFalse();
    }
}

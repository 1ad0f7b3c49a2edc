package dev.bulwark.sts.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.password.PasswordEncoder;

class CachingPasswordEncoderTests {

    private final AtomicInteger checks = new AtomicInteger();
    private final PasswordEncoder counting = new PasswordEncoder() {
        @Override
        public String encode(CharSequence raw) {
            return "{plain}" + raw;
        }

        @Override
        public boolean matches(CharSequence raw, String encoded) {
            checks.incrementAndGet();
            return encoded.equals("{plain}" + raw);
        }
    };
    private final CachingPasswordEncoder encoder = new CachingPasswordEncoder(counting, Duration.ofMinutes(5), 100);

    @Test
    void matchesWhenSameSecretTwiceThenDelegateCheckedOnce() {
        assertThat(encoder.matches("s3cret", "{plain}s3cret")).isTrue();
        assertThat(encoder.matches("s3cret", "{plain}s3cret")).isTrue();
        assertThat(checks).hasValue(1);
    }

    @Test
    void matchesWhenWrongSecretThenNeverCached() {
        assertThat(encoder.matches("wrong", "{plain}s3cret")).isFalse();
        assertThat(encoder.matches("wrong", "{plain}s3cret")).isFalse();
        assertThat(checks).hasValue(2);
    }

    @Test
    void matchesWhenStoredHashChangedThenCheckedAgain() {
        assertThat(encoder.matches("s3cret", "{plain}s3cret")).isTrue();
        assertThat(encoder.matches("s3cret", "{plain}other")).isFalse();
        assertThat(checks).hasValue(2);
    }
}

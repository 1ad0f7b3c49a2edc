package dev.bulwark.identity.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SvidPublisherTests {

    private static final String ORDER = "spiffe://ecomm.local/order";
    private static final TestSvids TRUST_DOMAIN = TestSvids.newTrustDomain("ecomm.local");

    private final SvidPublisher publisher = new SvidPublisher();

    @Test
    void subscribeWhenSvidPublishedThenCurrentAtOnceAndEachRotation() {
        SvidUpdate first = TRUST_DOMAIN.issue(ORDER);
        SvidUpdate second = TRUST_DOMAIN.issue(ORDER);
        publisher.publish(first);
        List<SvidUpdate> received = new ArrayList<>();

        publisher.subscribe(ORDER, received::add);
        publisher.publish(second);

        assertThat(received).containsExactly(first, second);
    }

    @Test
    void subscribeWhenOtherWorkloadRotatesThenNothing() {
        List<SvidUpdate> received = new ArrayList<>();
        publisher.subscribe(ORDER, received::add);

        publisher.publish(TRUST_DOMAIN.issue("spiffe://ecomm.local/gateway"));

        assertThat(received).isEmpty();
    }

    @Test
    void closeWhenSubscribedThenNoMoreUpdates() {
        List<SvidUpdate> received = new ArrayList<>();
        X509SvidSource.Subscription subscription = publisher.subscribe(ORDER, received::add);

        subscription.close();
        publisher.publish(TRUST_DOMAIN.issue(ORDER));

        assertThat(received).isEmpty();
    }

    @Test
    void publishWhenOneSubscriberThrowsThenOthersStillReceive() {
        List<SvidUpdate> received = new ArrayList<>();
        publisher.subscribe(ORDER, update -> {
            throw new IllegalStateException("stream closed");
        });
        publisher.subscribe(ORDER, received::add);
        SvidUpdate rotated = TRUST_DOMAIN.issue(ORDER);

        publisher.publish(rotated);

        assertThat(received).containsExactly(rotated);
        assertThat(publisher.current(ORDER)).contains(rotated);
    }
}

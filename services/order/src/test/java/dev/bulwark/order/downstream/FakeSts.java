package dev.bulwark.order.downstream;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** An STS for unit tests: answers each request with a recognisable token and records it; can be told to fail. */
public final class FakeSts implements StsTokens {

    /** One recorded request. */
    public record Call(String grant, String token, String audience, Set<String> scopes) {
    }

    private final String name;
    private final List<Call> calls = new ArrayList<>();
    private DownstreamException failure;

    public FakeSts(String name) {
        this.name = name;
    }

    public List<Call> calls() {
        return calls;
    }

    public FakeSts failWith(String error) {
        this.failure = new DownstreamException(name, "exchange", error);
        return this;
    }

    @Override
    public String exchange(String subjectToken, String audience, Set<String> scopes) {
        calls.add(new Call("exchange", subjectToken, audience, scopes));
        if (failure != null) {
            throw failure;
        }
        return name + ":exchanged(" + subjectToken + ")->" + audience;
    }

    @Override
    public String jwtBearer(String assertion, String audience, Set<String> scopes) {
        calls.add(new Call("jwt-bearer", assertion, audience, scopes));
        if (failure != null) {
            throw failure;
        }
        return name + ":bearer(" + assertion + ")->" + audience;
    }

    /** Signs nothing: marks the token so a test can see which pattern made it. */
    public static WorkloadTokens workload() {
        return new WorkloadTokens() {

            @Override
            public String selfIssued(String subject, String audience, Set<String> scopes) {
                return "self-issued(" + subject + "," + audience + "," + String.join(" ", scopes) + ")";
            }

            @Override
            public String nested(String innerJwt) {
                return "nested(" + innerJwt + ")";
            }
        };
    }
}

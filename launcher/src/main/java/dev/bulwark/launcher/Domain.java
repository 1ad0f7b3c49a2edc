package dev.bulwark.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One trust domain of local mode and where its identity process keeps its files: the workload CA
 * under {@code <home>/pki}, the Workload API socket and the registrations under
 * {@code <home>/identity}. ecomm's home is the Bulwark home; logistics' is {@code <home>/logistics},
 * a second organisation with its own CA, federated with ecomm (each identity process serves the
 * other's bundle).
 *
 * @param name {@code ecomm} or {@code logistics}, as {@code --domain} names it
 * @param trustDomain the SPIFFE trust domain, {@code ecomm.local} or {@code logistics.local}
 * @param home the directory of this domain's identity process
 * @param componentPrefix what this domain's component names start with ({@code logistics-identity}), empty for ecomm
 */
record Domain(String name, String trustDomain, Path home, String componentPrefix) {

    static final String ECOMM = "ecomm";
    static final String LOGISTICS = "logistics";
    static final List<String> NAMES = List.of(ECOMM, LOGISTICS);

    Domain {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(trustDomain, "trustDomain");
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(componentPrefix, "componentPrefix");
    }

    /** ecomm: the shop (identity, sts, order, inventory, gateway), home = the Bulwark home. */
    static Domain ecomm(Path bulwarkHome) {
        return new Domain(ECOMM, "ecomm.local", bulwarkHome, "");
    }

    /** logistics: the delivery partner (identity, sts, gateway, delivery), home = {@code <home>/logistics}. */
    static Domain logistics(Path bulwarkHome) {
        return new Domain(LOGISTICS, "logistics.local", bulwarkHome.resolve("logistics"), "logistics-");
    }

    /** The domain {@code name} names ({@code ecomm} or {@code logistics}). */
    static Domain named(String name, Path bulwarkHome) {
        return switch (name) {
            case ECOMM -> ecomm(bulwarkHome);
            case LOGISTICS -> logistics(bulwarkHome);
            default -> throw new IllegalArgumentException("domain: " + name + " (expected: ecomm or logistics)");
        };
    }

    /** {@code spiffe://<trust domain>/<workload>}. */
    String spiffeId(String workload) {
        return "spiffe://" + trustDomain + "/" + workload;
    }

    /** The name of this domain's identity process in endpoints.json: {@code identity}, {@code logistics-identity}. */
    String identityComponent() {
        return componentPrefix + "identity";
    }

    /** The SPIFFE Workload API socket of this domain's identity process. */
    Path workloadSocket() {
        return home.resolve("identity").resolve("agent.sock");
    }

    /** The trust bundle (every root, PEM) this domain's identity process writes. */
    Path trustBundle() {
        return home.resolve("pki").resolve("bundle.pem");
    }

    /** Which process is which workload of this domain. */
    Registrations registrations() {
        return Registrations.of(home);
    }
}

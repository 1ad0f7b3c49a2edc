/**
 * SPIFFE trust domain federation (SPIFFE Trust Domain and Bundle §5–6): the bundles of other trust
 * domains, read from PEM files that the operator (in local mode: the launcher) points at, watched
 * for changes, and served by the Workload API as {@code federated_bundles}.
 */
@NullMarked
package dev.bulwark.identity.federation;

import org.jspecify.annotations.NullMarked;

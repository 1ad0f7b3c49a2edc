/**
 * The SPIFFE Workload API server (SPIFFE Workload API specification; the public
 * {@code workload.proto}, service {@code SpiffeWorkloadAPI}): a gRPC server on a Unix domain socket
 * that streams X.509-SVIDs to attested local workloads and, when started with a
 * {@link dev.bulwark.identity.jwt.JwtSvidIssuer}, issues and validates their JWT-SVIDs. java-spiffe's {@code DefaultX509Source}
 * talks to it unchanged, and SPIRE's agent can take its place with no client change.
 *
 * <p>Public surface: {@link dev.bulwark.identity.workload.WorkloadApiServer} (start/close),
 * {@link dev.bulwark.identity.workload.WorkloadRegistry} (pid to SPIFFE ID, filled by the launcher),
 * {@link dev.bulwark.identity.workload.X509SvidSource} and
 * {@link dev.bulwark.identity.workload.SvidUpdate} (implemented by the CA),
 * {@link dev.bulwark.identity.workload.SvidPublisher}, an in-memory source, and
 * {@link dev.bulwark.identity.workload.FederatedBundleSource} with
 * {@link dev.bulwark.identity.workload.FederatedBundle}: the bundles of federated trust domains, served as
 * {@code federated_bundles} and in {@code FetchX509Bundles}.
 *
 * <h2>Attestation: how a workload proves who it is</h2>
 * The launcher starts every component, so it knows each component's process; it registers the
 * process id with the component's SPIFFE ID. When a process connects, the server asks the kernel who
 * is at the other end of the socket ({@code SO_PEERCRED}: pid, uid, gids, fixed at
 * {@code connect()}), and serves the SVID registered for that pid, or refuses with
 * {@code PermissionDenied}. Nothing the caller sends chooses the identity. The registration also
 * records the process start time, so a recycled pid is not mistaken for the registered process,
 * and it is checked again before each rotated SVID is pushed on an open stream.
 *
 * <p>Limits, which SPIRE's unix/k8s attestors share in part:
 * <ul>
 *   <li>Only processes the launcher started (or registered) get an identity: no selectors such as
 *       uid, binary path or hash, container or Kubernetes pod.</li>
 *   <li>Same-host trust: a process running as the same user (or root) can ptrace or otherwise
 *       control a registered process and use its identity; a registered process that
 *       {@code exec}s another program keeps its pid and start time, and so its identity; a child it
 *       forks inherits an open connection and the identity it carries.</li>
 *   <li>The socket file is created with the process umask: local mode runs every component as one
 *       user, and other users' processes are refused by the pid check anyway.</li>
 *   <li>Linux only (epoll's {@code SO_PEERCRED}); the JDK's own Unix-domain sockets expose only
 *       uid/gid ({@code jdk.net.ExtendedSocketOptions.SO_PEERCRED}), not the pid.</li>
 * </ul>
 */
@NullMarked
package dev.bulwark.identity.workload;

import org.jspecify.annotations.NullMarked;

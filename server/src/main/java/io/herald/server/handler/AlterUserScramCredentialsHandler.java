package io.herald.server.handler;

import io.herald.security.sasl.CredentialStore;
import io.herald.security.sasl.ScramCredential;
import io.herald.security.sasl.ScramMechanism;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.RequestContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialDeletion;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialUpsertion;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData.AlterUserScramCredentialsResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;

/**
 * AlterUserScramCredentials (key 51): adds, replaces and deletes SCRAM credentials. The client sends the salted
 * password, so the password itself never crosses the wire; the broker derives and stores the stored and server keys.
 * Each user's changes are checked as a whole (unknown mechanism, iteration count out of range, a mechanism changed
 * twice, deleting what does not exist) and applied only if all are valid. Needs ALTER on the cluster.
 *
 * <p>Thread-safety: stateless; the store serialises changes.
 */
public final class AlterUserScramCredentialsHandler implements ApiHandler<AlterUserScramCredentialsRequestData> {

    private final CredentialStore store;

    public AlterUserScramCredentialsHandler(CredentialStore store) {
        this.store = store;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_USER_SCRAM_CREDENTIALS;
    }

    @Override
    public short maxVersion() {
        return 0;
    }

    @Override
    public CompletableFuture<AlterUserScramCredentialsResponseData> handle(
            RequestContext context, AlterUserScramCredentialsRequestData request) {
        Set<String> users = new LinkedHashSet<>();
        request.deletions().forEach(d -> users.add(d.name()));
        request.upsertions().forEach(u -> users.add(u.name()));
        List<AlterUserScramCredentialsResult> results = new ArrayList<>();
        if (!context.authorizedOnCluster(AclOperation.ALTER)) {
            users.forEach(u -> results.add(result(u, new ApiError(Errors.CLUSTER_AUTHORIZATION_FAILED))));
            return CompletableFuture.completedFuture(new AlterUserScramCredentialsResponseData().setResults(results));
        }
        Map<String, ApiError> errors = new HashMap<>();
        Map<String, Set<ScramMechanism>> touched = new HashMap<>();
        Map<String, List<Runnable>> changes = new LinkedHashMap<>();
        for (ScramCredentialDeletion d : request.deletions()) {
            Optional<ScramMechanism> m = ScramMechanism.forType(d.mechanism());
            check(d.name(), m, touched, errors);
            m.filter(x -> store.credential(d.name(), x).isEmpty())
                    .ifPresent(x -> errors.putIfAbsent(
                            d.name(),
                            new ApiError(
                                    Errors.RESOURCE_NOT_FOUND,
                                    "User " + d.name() + " has no " + x.mechanismName() + " credential to delete")));
            m.ifPresent(x ->
                    changes.computeIfAbsent(d.name(), n -> new ArrayList<>()).add(() -> store.delete(d.name(), x)));
        }
        for (ScramCredentialUpsertion u : request.upsertions()) {
            Optional<ScramMechanism> m = ScramMechanism.forType(u.mechanism());
            check(u.name(), m, touched, errors);
            if (m.isEmpty()) {
                continue;
            }
            try {
                ScramCredential c =
                        ScramCredential.fromSaltedPassword(m.get(), u.salt(), u.iterations(), u.saltedPassword());
                changes.computeIfAbsent(u.name(), n -> new ArrayList<>()).add(() -> store.put(u.name(), c));
            } catch (IllegalArgumentException e) {
                errors.putIfAbsent(u.name(), new ApiError(Errors.UNACCEPTABLE_CREDENTIAL, e.getMessage()));
            }
        }
        for (String user : users) {
            ApiError error = errors.get(user);
            if (error == null) {
                changes.getOrDefault(user, List.of()).forEach(Runnable::run);
                error = ApiError.NONE;
            }
            results.add(result(user, error));
        }
        return CompletableFuture.completedFuture(new AlterUserScramCredentialsResponseData().setResults(results));
    }

    private static void check(
            String user,
            Optional<ScramMechanism> mechanism,
            Map<String, Set<ScramMechanism>> touched,
            Map<String, ApiError> errors) {
        if (user == null || user.isEmpty()) {
            errors.putIfAbsent(String.valueOf(user), new ApiError(Errors.UNACCEPTABLE_CREDENTIAL, "Empty user name"));
        } else if (mechanism.isEmpty()) {
            errors.putIfAbsent(
                    user, new ApiError(Errors.UNSUPPORTED_SASL_MECHANISM, "Unknown SCRAM mechanism for user " + user));
        } else if (!touched.computeIfAbsent(user, u -> new HashSet<>()).add(mechanism.get())) {
            errors.putIfAbsent(
                    user,
                    new ApiError(
                            Errors.DUPLICATE_RESOURCE,
                            "A user credential cannot be altered twice in the same request: " + user + " "
                                    + mechanism.get().mechanismName()));
        }
    }

    private static AlterUserScramCredentialsResult result(String user, ApiError error) {
        return new AlterUserScramCredentialsResult()
                .setUser(user)
                .setErrorCode(error.error().code())
                .setErrorMessage(error.error() == Errors.NONE ? null : error.message());
    }
}

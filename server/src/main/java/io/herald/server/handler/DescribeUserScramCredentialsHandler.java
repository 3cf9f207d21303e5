package io.herald.server.handler;

import io.herald.security.sasl.CredentialStore;
import io.herald.security.sasl.ScramCredential;
import io.herald.security.sasl.ScramMechanism;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.RequestContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData.UserName;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.CredentialInfo;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.DescribeUserScramCredentialsResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeUserScramCredentials (key 50): the users with SCRAM credentials and, per mechanism, the iteration count —
 * never salts or keys. Needs DESCRIBE on the cluster.
 *
 * <p>Thread-safety: stateless; reads a snapshot of the store.
 */
public final class DescribeUserScramCredentialsHandler implements ApiHandler<DescribeUserScramCredentialsRequestData> {

    private final CredentialStore store;

    public DescribeUserScramCredentialsHandler(CredentialStore store) {
        this.store = store;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS;
    }

    @Override
    public short maxVersion() {
        return 0;
    }

    @Override
    public CompletableFuture<DescribeUserScramCredentialsResponseData> handle(
            RequestContext context, DescribeUserScramCredentialsRequestData request) {
        DescribeUserScramCredentialsResponseData response = new DescribeUserScramCredentialsResponseData();
        if (!context.authorizedOnCluster(AclOperation.DESCRIBE)) {
            return CompletableFuture.completedFuture(response.setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code())
                    .setErrorMessage(Errors.CLUSTER_AUTHORIZATION_FAILED.message()));
        }
        Map<String, Map<ScramMechanism, ScramCredential>> all = store.all();
        List<DescribeUserScramCredentialsResult> results = new ArrayList<>();
        if (request.users() == null || request.users().isEmpty()) {
            all.forEach((user, creds) -> results.add(result(user, creds)));
        } else {
            Set<String> seen = new HashSet<>();
            Set<String> duplicated = new HashSet<>();
            request.users().stream()
                    .map(UserName::name)
                    .filter(n -> !seen.add(n))
                    .forEach(duplicated::add);
            for (String user : new LinkedHashSet<>(
                    request.users().stream().map(UserName::name).toList())) {
                if (duplicated.contains(user)) {
                    results.add(new DescribeUserScramCredentialsResult()
                            .setUser(user)
                            .setErrorCode(Errors.DUPLICATE_RESOURCE.code())
                            .setErrorMessage("Cannot describe user " + user + " twice in one request"));
                } else if (!all.containsKey(user)) {
                    results.add(new DescribeUserScramCredentialsResult()
                            .setUser(user)
                            .setErrorCode(Errors.RESOURCE_NOT_FOUND.code())
                            .setErrorMessage("Attempt to describe a user credential that does not exist: " + user));
                } else {
                    results.add(result(user, all.get(user)));
                }
            }
        }
        return CompletableFuture.completedFuture(response.setResults(results));
    }

    private static DescribeUserScramCredentialsResult result(String user, Map<ScramMechanism, ScramCredential> creds) {
        return new DescribeUserScramCredentialsResult()
                .setUser(user)
                .setCredentialInfos(creds.values().stream()
                        .map(c -> new CredentialInfo()
                                .setMechanism(c.mechanism().type())
                                .setIterations(c.iterations()))
                        .toList());
    }
}

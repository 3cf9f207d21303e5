package io.herald.server.handler;

import io.herald.log.record.RecordBatch;
import io.herald.security.acl.AclAuthorizer;
import io.herald.server.partition.ProducerIdManager;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.RequestContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * InitProducerId (key 22) for idempotent producers: a fresh producer id with epoch 0. A producer that asks again with
 * its current id (to bump its epoch after an error, KIP-360) gets a new id as well, which fences the old one just as
 * an epoch bump would. Transactional ids are not supported yet.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class InitProducerIdHandler implements ApiHandler<InitProducerIdRequestData> {

    private final ProducerIdManager ids;

    public InitProducerIdHandler(ProducerIdManager ids) {
        this.ids = ids;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.INIT_PRODUCER_ID;
    }

    @Override
    public short maxVersion() {
        return 5;
    }

    @Override
    public CompletableFuture<InitProducerIdResponseData> handle(
            RequestContext context, InitProducerIdRequestData request) {
        InitProducerIdResponseData response = new InitProducerIdResponseData()
                .setProducerId(RecordBatch.NO_PRODUCER_ID)
                .setProducerEpoch(RecordBatch.NO_PRODUCER_EPOCH);
        if (request.transactionalId() != null) {
            return CompletableFuture.completedFuture(response.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code()));
        }
        if (!context.visible(AclOperation.IDEMPOTENT_WRITE, ResourceType.CLUSTER, AclAuthorizer.CLUSTER_NAME)
                && !context.access().authorizeAny(context.session(), AclOperation.WRITE, ResourceType.TOPIC)) {
            return CompletableFuture.completedFuture(response.setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code()));
        }
        try {
            return CompletableFuture.completedFuture(
                    response.setProducerId(ids.nextId()).setProducerEpoch((short) 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.herald.server.handler;

import io.herald.server.metadata.TopicInfo;
import io.herald.server.metadata.TopicManager;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.ErrorMapper;
import io.herald.server.protocol.RequestContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData.DeleteTopicState;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * DeleteTopics (key 20): deletes topics named by name (every version) or by topic id (v6+), their metadata first and
 * then their logs, and answers per topic. A topic created again under the same name later gets a new id and starts
 * empty. With {@code delete.topic.enable=false} every topic gets {@code TOPIC_DELETION_DISABLED} (v3+; older versions
 * cannot carry that code and get {@code INVALID_REQUEST}).
 *
 * <p>Thread-safety: thread-safe.
 */
public final class DeleteTopicsHandler implements ApiHandler<DeleteTopicsRequestData> {

    private final TopicManager topics;

    public DeleteTopicsHandler(TopicManager topics) {
        this.topics = topics;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_TOPICS;
    }

    @Override
    public short maxVersion() {
        return 6;
    }

    @Override
    public CompletableFuture<DeleteTopicsResponseData> handle(RequestContext context, DeleteTopicsRequestData request) {
        List<DeleteTopicState> wanted = new ArrayList<>();
        if (context.version() >= 6) {
            wanted.addAll(request.topics());
        } else {
            request.topicNames().forEach(n -> wanted.add(new DeleteTopicState().setName(n)));
        }
        Map<Object, Integer> counts = new HashMap<>();
        wanted.forEach(t -> counts.merge(key(t), 1, Integer::sum));
        DeleteTopicsResponseData response = new DeleteTopicsResponseData();
        for (DeleteTopicState t : wanted) {
            DeletableTopicResult result = new DeletableTopicResult().setName(t.name());
            if (context.version() >= 6) {
                result.setTopicId(t.topicId() == null ? Uuid.ZERO_UUID : t.topicId());
            }
            try {
                if (counts.get(key(t)) > 1) {
                    throw new InvalidRequestException(
                            "Topic " + describe(t) + " appears more than once in the request");
                }
                if (t.name() != null && !t.name().isEmpty()) {
                    context.requireTopic(AclOperation.DELETE, t.name());
                }
                TopicInfo topic = resolve(t);
                context.requireTopic(AclOperation.DELETE, topic.name());
                result.setName(topic.name());
                if (context.version() >= 6) {
                    result.setTopicId(topic.id());
                }
                topics.delete(topic.name());
            } catch (Exception e) {
                Errors error = ErrorMapper.toError(e);
                if (error == Errors.TOPIC_DELETION_DISABLED && context.version() < 3) {
                    error = Errors.INVALID_REQUEST;
                }
                result.setErrorCode(error.code());
                if (context.version() >= 5) {
                    result.setErrorMessage(ErrorMapper.message(e));
                }
            }
            response.responses().add(result);
        }
        return CompletableFuture.completedFuture(response);
    }

    private TopicInfo resolve(DeleteTopicState t) {
        boolean hasId = t.topicId() != null && !t.topicId().equals(Uuid.ZERO_UUID);
        if (hasId && t.name() != null) {
            throw new InvalidRequestException(
                    "Give either a topic name or a topic id, not both (" + t.name() + ", " + t.topicId() + ")");
        }
        if (hasId) {
            return topics.metadata()
                    .topic(t.topicId())
                    .orElseThrow(() -> new UnknownTopicIdException("No topic with id " + t.topicId()));
        }
        if (t.name() == null || t.name().isEmpty()) {
            throw new InvalidRequestException("Neither a topic name nor a topic id given");
        }
        return topics.topic(t.name())
                .orElseThrow(() -> new UnknownTopicOrPartitionException("Topic '" + t.name() + "' does not exist."));
    }

    private static Object key(DeleteTopicState t) {
        return t.name() != null ? t.name() : t.topicId();
    }

    private static String describe(DeleteTopicState t) {
        return t.name() != null ? t.name() : String.valueOf(t.topicId());
    }
}

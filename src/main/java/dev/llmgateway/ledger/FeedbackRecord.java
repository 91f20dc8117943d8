package dev.llmgateway.ledger;

import dev.llmgateway.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/** Feedback on an inference or a conversation: a named metric with a boolean, a number or a comment. */
@Entity
@Table(name = "gateway_feedback")
public class FeedbackRecord {

    @Id
    String id;
    @Column(name = "created_at")
    LocalDateTime createdAt;
    @Column(name = "inference_id")
    String inferenceId;
    @Column(name = "conversation_id")
    String conversationId;
    @Column(name = "metric_name")
    String metricName;
    @Column(name = "bool_value")
    Boolean boolValue;
    @Column(name = "number_value")
    Double numberValue;
    @Column(name = "comment_text")
    String comment;
    @Column(name = "key_name")
    String keyName;

    public FeedbackRecord() {
        // for Jakarta Persistence
    }

    FeedbackRecord(Feedback feedback, String keyName) {
        id = UUID.randomUUID().toString();
        createdAt = LocalDateTime.now(ZoneOffset.UTC);
        inferenceId = feedback.inferenceId();
        conversationId = feedback.conversationId();
        metricName = feedback.metric();
        boolValue = feedback.bool();
        numberValue = feedback.number();
        comment = InferenceRecord.storable(feedback.comment());
        this.keyName = keyName;
    }

    JsonObjectBuilder toJson() {
        JsonObjectBuilder json = Json.object().add("id", id).add("created_at", createdAt.toInstant(ZoneOffset.UTC).toString());
        if (inferenceId != null) {
            json.add("inference_id", inferenceId);
        }
        if (conversationId != null) {
            json.add("conversation_id", conversationId);
        }
        json.add("metric_name", metricName);
        if (boolValue != null) {
            json.add("value", boolValue);
        } else if (numberValue != null) {
            json.add("value", numberValue);
        } else {
            json.add("value", comment);
        }
        return json.add("key_name", keyName);
    }
}

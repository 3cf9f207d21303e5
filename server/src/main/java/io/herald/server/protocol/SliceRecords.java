package io.herald.server.protocol;

import io.herald.log.LogSlice;
import io.herald.server.network.PlaintextChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.network.TransferableChannel;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.RecordsSend;

/**
 * A {@link LogSlice} as the records field of a generated response, so that serialising a FetchResponse leaves the
 * record bytes in the segment file: on a plaintext connection they go to the socket with sendfile; on any other channel
 * they are copied through a buffer (TLS must see them).
 *
 * <p>This class and {@link RecordsAdapter} are the only places that touch kafka-clients' internal record classes.
 *
 * <p>Thread-safety: immutable; its send is used by one network thread.
 */
public final class SliceRecords implements BaseRecords {

    private final LogSlice slice;

    public SliceRecords(LogSlice slice) {
        this.slice = slice;
    }

    @Override
    public int sizeInBytes() {
        return slice.length();
    }

    @Override
    public RecordsSend<SliceRecords> toSend() {
        return new Send(this);
    }

    private static final class Send extends RecordsSend<SliceRecords> {
        private ByteBuffer copy;

        Send(SliceRecords records) {
            super(records, records.sizeInBytes());
        }

        @Override
        protected int writeTo(TransferableChannel channel, int previouslyWritten, int remaining) throws IOException {
            LogSlice slice = records().slice;
            if (channel instanceof PlaintextChannel plaintext) {
                return (int) slice.transferTo(plaintext.socket(), previouslyWritten);
            }
            if (copy == null) {
                try {
                    copy = slice.toByteBuffer();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                copy.position(previouslyWritten);
            }
            return channel.write(copy);
        }
    }
}

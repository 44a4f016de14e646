package io.github.luzj.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import io.github.luzj.FittedModel;
import io.github.luzj.base.LuzjException;
import io.github.luzj.callbacks.lr.LrSchedulers;
import io.github.luzj.optim.Optimizers;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads the event file back with a decoder of its own: TFRecord framing checked record by record
 * (both masked CRC-32Cs), each record parsed by protobuf against TensorBoard's {@code Event} and
 * {@code Summary} schema rebuilt here from descriptors.
 */
class TensorBoardLoggerTest {

    record Scalar(String tag, long step, float value) {}

    private static final Descriptors.Descriptor EVENT = eventDescriptor();

    private static Descriptors.Descriptor eventDescriptor() {
        FieldDescriptorProto.Type str = FieldDescriptorProto.Type.TYPE_STRING;
        DescriptorProto value = DescriptorProto.newBuilder().setName("Value")
                .addField(field("tag", 1, str, null, false))
                .addField(field("simple_value", 2, FieldDescriptorProto.Type.TYPE_FLOAT, null,
                        false))
                .build();
        DescriptorProto summary = DescriptorProto.newBuilder().setName("Summary")
                .addField(field("value", 1, FieldDescriptorProto.Type.TYPE_MESSAGE,
                        ".tensorflow.Value", true))
                .build();
        DescriptorProto event = DescriptorProto.newBuilder().setName("Event")
                .addField(field("wall_time", 1, FieldDescriptorProto.Type.TYPE_DOUBLE, null,
                        false))
                .addField(field("step", 2, FieldDescriptorProto.Type.TYPE_INT64, null, false))
                .addField(field("file_version", 3, str, null, false))
                .addField(field("summary", 5, FieldDescriptorProto.Type.TYPE_MESSAGE,
                        ".tensorflow.Summary", false))
                .build();
        FileDescriptorProto file = FileDescriptorProto.newBuilder().setName("event.proto")
                .setPackage("tensorflow").addMessageType(value).addMessageType(summary)
                .addMessageType(event).build();
        try {
            return Descriptors.FileDescriptor.buildFrom(file, new Descriptors.FileDescriptor[0])
                    .findMessageTypeByName("Event");
        } catch (Descriptors.DescriptorValidationException e) {
            throw new AssertionError(e);
        }
    }

    private static FieldDescriptorProto field(
            String name, int number, FieldDescriptorProto.Type type, String typeName,
            boolean repeated) {
        FieldDescriptorProto.Builder b = FieldDescriptorProto.newBuilder().setName(name)
                .setNumber(number).setType(type)
                .setLabel(repeated ? FieldDescriptorProto.Label.LABEL_REPEATED
                        : FieldDescriptorProto.Label.LABEL_OPTIONAL);
        if (typeName != null) {
            b.setTypeName(typeName);
        }
        return b.build();
    }

    private static int masked(byte[] data, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(data, offset, length);
        int c = (int) crc.getValue();
        return Integer.rotateRight(c, 15) + 0xa282ead8;
    }

    /** Every event of the file, CRCs checked. */
    static List<DynamicMessage> events(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        List<DynamicMessage> out = new ArrayList<>();
        while (in.hasRemaining()) {
            int start = in.position();
            long length = in.getLong();
            assertThat(in.getInt()).as("length CRC at %d", start).isEqualTo(masked(bytes, start, 8));
            int at = in.position();
            in.position(at + (int) length);
            assertThat(in.getInt()).as("data CRC at %d", at)
                    .isEqualTo(masked(bytes, at, (int) length));
            out.add(DynamicMessage.parseFrom(EVENT,
                    java.util.Arrays.copyOfRange(bytes, at, at + (int) length)));
        }
        return out;
    }

    static List<Scalar> scalars(List<DynamicMessage> events) {
        Descriptors.FieldDescriptor summaryField = EVENT.findFieldByName("summary");
        List<Scalar> out = new ArrayList<>();
        for (DynamicMessage e : events) {
            if (!e.hasField(summaryField)) {
                continue;
            }
            long step = (Long) e.getField(EVENT.findFieldByName("step"));
            DynamicMessage summary = (DynamicMessage) e.getField(summaryField);
            var valueField = summary.getDescriptorForType().findFieldByName("value");
            for (int i = 0; i < summary.getRepeatedFieldCount(valueField); i++) {
                DynamicMessage v = (DynamicMessage) summary.getRepeatedField(valueField, i);
                var vd = v.getDescriptorForType();
                out.add(new Scalar((String) v.getField(vd.findFieldByName("tag")), step,
                        (Float) v.getField(vd.findFieldByName("simple_value"))));
            }
        }
        return out;
    }

    @Test
    void metricsPerEpochAndTheLearningRatePerStepReadBack(@TempDir Path dir) throws Exception {
        Path logs = dir.resolve("runs");
        TensorBoardLogger tb = LuzCallbacks.tensorboard(logs);
        try (FittedModel m = Fixtures.fitClasses(Fixtures.classifier(Optimizers.adam().lr(0.01)),
                2, true, tb, LuzCallbacks.lrScheduler(LrSchedulers.exponential(0.5),
                        "on_batch_end"))) {
            List<DynamicMessage> events = events(tb.file());
            assertThat(events.get(0).getField(EVENT.findFieldByName("file_version")))
                    .isEqualTo("brain.Event:2");
            List<Scalar> scalars = scalars(events);
            List<Scalar> lr = scalars.stream().filter(s -> s.tag().equals("lr")).toList();
            assertThat(lr).hasSize(10); // 5 batches x 2 epochs
            for (int i = 0; i < lr.size(); i++) {
                assertThat(lr.get(i).step()).isEqualTo(i + 1);
                assertThat((double) lr.get(i).value())
                        .isCloseTo(m.records().steps().get(i).lr(), within(1e-9));
            }
            for (String set : List.of("train", "valid")) {
                for (String metric : List.of("loss")) {
                    double[] want = m.records().values(set, metric);
                    List<Scalar> got = scalars.stream()
                            .filter(s -> s.tag().equals(set + "/" + metric)).toList();
                    assertThat(got).extracting(Scalar::step).containsExactly(1L, 2L);
                    for (int e = 0; e < 2; e++) {
                        assertThat((double) got.get(e).value())
                                .isCloseTo(want[e], within(1e-6 * Math.abs(want[e])));
                    }
                }
            }
        }
        // a second fit writes a file of its own beside the first
        Fixtures.fitClasses(Fixtures.classifier(), 1, false, tb).close();
        try (Stream<Path> files = Files.list(logs)) {
            assertThat(files.filter(p -> p.getFileName().toString().contains("tfevents")))
                    .hasSize(2);
        }
    }

    @Test
    void anEpochsEventsAreOnDiskWhenTheEpochEnds(@TempDir Path dir) {
        TensorBoardLogger tb = LuzCallbacks.tensorboard(dir);
        List<Integer> seen = new ArrayList<>();
        var probe = io.github.luzj.callback.Callback.on(
                io.github.luzj.callback.Phase.EPOCH_BEGIN, ctx -> {
                    if (ctx.epoch() == 2) {
                        try {
                            seen.add(scalars(events(tb.file())).size());
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                    }
                });
        Fixtures.fitClasses(Fixtures.classifier(), 2, true, tb, probe).close();
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0)).isEqualTo(5 + 2); // 5 steps of lr, train and valid loss
    }

    @Test
    void aFolderThatCannotBeMadeIsOneClearError(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("taken"), "x");
        TensorBoardLogger tb = LuzCallbacks.tensorboard(file.resolve("sub"));
        assertThatThrownBy(() -> Fixtures.fitClasses(Fixtures.classifier(), 1, false, tb))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("TensorBoard log folder");
    }
}

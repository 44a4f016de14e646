package io.github.luzj.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.luzj.base.LuzjException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DataLoaderTest {

    /** Sample i has features [i, 10 i] and label i. */
    private static final class Counting implements SampleDataset {
        final int n;
        final AtomicInteger reads = new AtomicInteger();

        Counting(int n) {
            this.n = n;
        }

        @Override
        public int size() {
            return n;
        }

        @Override
        public Sample get(int index) {
            reads.incrementAndGet();
            return new Sample(new FloatTensor(new float[] {index, 10 * index}, new long[] {2}),
                    FloatTensor.scalar(index));
        }
    }

    /** Adds noise from the sample's generator, so any mix-up of generators shows. */
    private static final Transform NOISE = (x, rng) -> {
        float[] out = x.data().clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += (float) rng.nextGaussian();
        }
        return new FloatTensor(out, x.shape());
    };

    private static List<HostBatch> all(DataLoader loader, int epoch) {
        List<HostBatch> out = new ArrayList<>();
        try (BatchIterator it = loader.iterator(epoch)) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    private static List<Integer> labels(List<HostBatch> batches) {
        List<Integer> out = new ArrayList<>();
        for (HostBatch b : batches) {
            for (float y : b.y().data()) {
                out.add((int) y);
            }
        }
        return out;
    }

    @Test
    void batchCountsWithAndWithoutDropLast() {
        DataLoader keep = DataLoader.builder(new Counting(10)).batchSize(3).workers(0).build();
        DataLoader drop = keep.toBuilder().dropLast(true).build();

        assertThat(keep.size()).isEqualTo(4);
        assertThat(keep.sampleCount()).isEqualTo(10);
        assertThat(all(keep, 1)).extracting(HostBatch::size).containsExactly(3, 3, 3, 1);
        assertThat(drop.size()).isEqualTo(3);
        assertThat(drop.sampleCount()).isEqualTo(9);
        assertThat(all(drop, 1)).extracting(HostBatch::size).containsExactly(3, 3, 3);
        assertThat(DataLoader.builder(new Counting(9)).batchSize(3).build().size()).isEqualTo(3);
    }

    @Test
    void batchesStackFeaturesAndLabelsInOrder() {
        DataLoader loader = DataLoader.builder(new Counting(5)).batchSize(2).workers(0).build();

        List<HostBatch> batches = all(loader, 1);

        assertThat(batches.get(0).x().shape()).containsExactly(2, 2);
        assertThat(batches.get(0).x().data()).containsExactly(0, 0, 1, 10);
        assertThat(batches.get(0).y().shape()).containsExactly(2);
        assertThat(batches.get(2).x().shape()).containsExactly(1, 2);
        assertThat(labels(batches)).containsExactly(0, 1, 2, 3, 4);
        assertThat(loader.featureShape()).containsExactly(2, 2);
    }

    @Test
    void shuffleIsSeededPerEpochAndVisitsEveryIndexOnce() {
        DataLoader a = DataLoader.builder(new Counting(100)).shuffle(true).seed(7).build();
        DataLoader same = DataLoader.builder(new Counting(100)).shuffle(true).seed(7).build();
        DataLoader other = a.toBuilder().seed(8).build();

        int[] order = a.order(1);
        assertThat(same.order(1)).isEqualTo(order);
        assertThat(other.order(1)).isNotEqualTo(order);
        assertThat(a.order(2)).isNotEqualTo(order);
        assertThat(order).isNotEqualTo(identity(100));
        int[] sorted = order.clone();
        Arrays.sort(sorted);
        assertThat(sorted).isEqualTo(identity(100));
        assertThat(DataLoader.builder(new Counting(100)).seed(7).build().order(1)).isEqualTo(identity(100));
    }

    @Test
    void dropLastDropsTheTailOfTheShuffledOrder() {
        DataLoader loader = DataLoader.builder(new Counting(10)).batchSize(4).shuffle(true).dropLast(true)
                .seed(3).workers(2).build();

        List<Integer> seen = labels(all(loader, 5));

        int[] order = loader.order(5);
        assertThat(seen).containsExactly(Arrays.stream(order, 0, 8).boxed().toArray(Integer[]::new));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5})
    void workersGiveTheSameBatchesAsTheCallingThread(int workers) {
        DataLoader serial = DataLoader.builder(new Counting(203)).batchSize(16).shuffle(true).seed(11)
                .transform(NOISE).workers(0).build();
        DataLoader parallel = serial.toBuilder().workers(workers).prefetch(workers == 5 ? 1 : 0).build();

        for (int epoch = 1; epoch <= 2; epoch++) {
            List<HostBatch> expected = all(serial, epoch);
            List<HostBatch> actual = all(parallel, epoch);
            assertThat(actual).hasSameSizeAs(expected);
            for (int b = 0; b < expected.size(); b++) {
                assertThat(actual.get(b).x().data()).isEqualTo(expected.get(b).x().data());
                assertThat(actual.get(b).x().shape()).isEqualTo(expected.get(b).x().shape());
                assertThat(actual.get(b).y().data()).isEqualTo(expected.get(b).y().data());
            }
        }
        assertThat(all(serial, 1).get(0).x().data()).isNotEqualTo(all(serial, 2).get(0).x().data());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void aFailingSampleIsReportedWithItsIndex(int workers) {
        Transform failing = (x, rng) -> {
            if (x.data()[0] == 13f) {
                throw new IllegalArgumentException("bad pixel");
            }
            return x;
        };
        DataLoader loader = DataLoader.builder(new Counting(40)).batchSize(4).transform(failing)
                .workers(workers).build();

        BatchIterator it = loader.iterator(2);
        for (int b = 0; b < 3; b++) {
            it.next();
        }
        assertThatThrownBy(it::next)
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("loading sample 13 (batch 4 of epoch 2) failed: bad pixel")
                .hasRootCauseInstanceOf(IllegalArgumentException.class);
        if (workers > 0) {
            assertThat(it.hasNext()).isFalse();
        }
        it.close();
    }

    @Test
    void samplesOfDifferentShapesInOneBatchAreRejected() {
        Transform odd = (x, rng) -> x.data()[0] == 3f ? new FloatTensor(new float[3], new long[] {3}) : x;
        DataLoader loader = DataLoader.builder(new Counting(8)).batchSize(4).transform(odd).workers(0).build();

        assertThatThrownBy(() -> all(loader, 1))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("sample 3 has features of shape [3] but the batch's first sample has [2]");
    }

    @Test
    void prefetchIsBoundedAndCloseStopsTheWorkers() throws InterruptedException {
        Counting data = new Counting(1000);
        DataLoader loader = DataLoader.builder(data).batchSize(1).workers(2).prefetch(3).build();

        BatchIterator it = loader.iterator(901);
        awaitReads(data, 3);
        Thread.sleep(100);
        assertThat(data.reads.get()).isEqualTo(3);
        it.next();
        awaitReads(data, 4);
        Thread.sleep(100);
        assertThat(data.reads.get()).isEqualTo(4);
        it.close();

        assertThat(it.hasNext()).isFalse();
        awaitNoLoaderThreads("luzj-loader-epoch901-");
        assertThat(data.reads.get()).isLessThanOrEqualTo(4);
    }

    @Test
    void anAbandonedIteratorLeavesNoThreadBehind() throws InterruptedException {
        DataLoader loader = DataLoader.builder(new Counting(1000)).batchSize(10).workers(3).build();

        BatchIterator it = loader.iterator(902);
        it.next();
        assertThat(loaderThreads("luzj-loader-epoch902-")).isPositive();
        it = null;

        awaitNoLoaderThreads("luzj-loader-epoch902-");
    }

    @Test
    void anIteratorRunToItsEndStopsItsWorkers() throws InterruptedException {
        DataLoader loader = DataLoader.builder(new Counting(50)).batchSize(10).workers(2).build();

        BatchIterator it = loader.iterator(903);
        while (it.hasNext()) {
            it.next();
        }

        awaitNoLoaderThreads("luzj-loader-epoch903-");
    }

    @Test
    void settingsAreValidatedAndCopied() {
        assertThatThrownBy(() -> DataLoader.builder(new Counting(3)).workers(-1))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("workers must be >= 0 (0 = load on the calling thread), got -1");
        assertThatThrownBy(() -> DataLoader.builder(new Counting(3)).prefetch(-2))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("got -2");

        DataLoader loader = DataLoader.builder(new Counting(3)).workers(3).prefetch(5).build();
        assertThat(loader.toBuilder().build().workers()).isEqualTo(3);
        assertThat(loader.toBuilder().build().prefetch()).isEqualTo(5);
        assertThat(DataLoader.builder(new Counting(3)).workers(2).build().prefetch()).isEqualTo(4);
        assertThat(DataLoader.builder(new Counting(3)).build().workers())
                .isEqualTo(Math.min(Runtime.getRuntime().availableProcessors(), 4));
    }

    private static int[] identity(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }

    private static void awaitReads(Counting data, int reads) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (data.reads.get() < reads && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    private static long loaderThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(prefix) && t.isAlive())
                .count();
    }

    private static void awaitNoLoaderThreads(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (loaderThreads(prefix) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(loaderThreads(prefix)).as("live threads named %s*", prefix).isZero();
    }
}

package io.github.luzj.weights;

import io.github.luzj.base.LuzjException;
import io.github.luzj.data.FloatTensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A PyTorch {@code state_dict} read into host memory: tensors by name, in the file's order, each
 * with the dtype it was stored in. Values are widened or narrowed to float, which is exact for
 * F32/F16/BF16 and for integers up to 2^24 (such as BatchNorm's {@code num_batches_tracked}).
 */
public final class StateDict {

    /**
     * One stored tensor.
     *
     * @param dtype the dtype in the file, in safetensors spelling ({@code F32}, {@code I64}, ...)
     * @param tensor the values as floats, with their shape
     */
    public record Entry(String dtype, FloatTensor tensor) {}

    private final Map<String, Entry> entries;

    /**
     * Wraps tensors by name.
     *
     * @param entries the tensors, in order
     */
    public StateDict(Map<String, Entry> entries) {
        this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    /**
     * Returns the tensor names in the file's order.
     *
     * @return the names
     */
    public Set<String> names() {
        return entries.keySet();
    }

    /**
     * Returns the number of tensors.
     *
     * @return the size
     */
    public int size() {
        return entries.size();
    }

    /**
     * Tells whether a tensor of that name exists.
     *
     * @param name a torchvision name such as {@code layer1.0.bn1.running_mean}
     * @return true when present
     */
    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    /**
     * Returns a tensor.
     *
     * @param name the tensor's name
     * @return the entry
     */
    public Entry get(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new LuzjException(
                    "the state dict has no tensor '" + name + "'; it has " + entries.size()
                            + " tensors, e.g. " + entries.keySet().stream().limit(3).toList());
        }
        return e;
    }

    /**
     * Returns every entry by name, in order.
     *
     * @return the read-only map
     */
    public Map<String, Entry> entries() {
        return entries;
    }
}

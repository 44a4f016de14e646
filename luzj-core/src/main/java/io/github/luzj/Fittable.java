package io.github.luzj;

import ai.djl.training.dataset.RandomAccessDataset;
import io.github.luzj.callback.Callback;
import io.github.luzj.data.DataLoader;
import io.github.luzj.djl.DjlDatasets;
import io.github.luzj.fit.FitOptions;

/**
 * What can be fit: a set-up model (a first fit) or a fitted one (training further). The
 * shorthands all come down to {@link #fit(FitOptions)}.
 */
public interface Fittable {

    /**
     * Fits with every option ({@link FitOptions}).
     *
     * @param options the fit's arguments
     * @return the fitted model
     */
    FittedModel fit(FitOptions options);

    /**
     * Fits for {@code epochs} epochs without validation data.
     *
     * @param train the training data
     * @param epochs the number of epochs
     * @return the fitted model
     */
    default FittedModel fit(DataLoader train, int epochs) {
        return fit(FitOptions.builder(train).epochs(epochs).build());
    }

    /**
     * Fits for {@code epochs} epochs (luz's {@code fit(data, epochs, valid_data, callbacks)}).
     *
     * @param train the training data
     * @param epochs the number of epochs
     * @param valid the validation data, or null
     * @param callbacks callbacks
     * @return the fitted model
     */
    default FittedModel fit(DataLoader train, int epochs, DataLoader valid, Callback... callbacks) {
        return fit(FitOptions.builder(train).epochs(epochs).valid(valid).callbacks(callbacks).build());
    }

    /**
     * Fits on DJL datasets, batched, shuffled and dropped as their own sampling says.
     *
     * @param train the training data
     * @param epochs the number of epochs
     * @param valid the validation data, or null
     * @param callbacks callbacks
     * @return the fitted model
     */
    default FittedModel fit(
            RandomAccessDataset train, int epochs, RandomAccessDataset valid, Callback... callbacks) {
        return fit(
                DjlDatasets.loader(train),
                epochs,
                valid == null ? null : DjlDatasets.loader(valid),
                callbacks);
    }
}

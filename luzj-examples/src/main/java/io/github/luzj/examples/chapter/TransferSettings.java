package io.github.luzj.examples.chapter;

import java.nio.file.Path;

/**
 * The transfer experiment's settings.
 *
 * @param weights torchvision weights (.safetensors, .pth) or a TorchScript model; null for DJL's
 *     model zoo or, with pretraining, the weights made here
 * @param epochs epochs with the backbone frozen
 * @param lr Adam's learning rate for the head
 * @param fineTuneEpochs epochs with everything unfrozen afterwards, 0 for none
 * @param backboneLrFactor the backbone's rate as a fraction of the head's when fine-tuning
 * @param imagenetNormalize normalize with ImageNet's channel means and deviations
 * @param pretrain the pretraining to make the weights with, null for none
 */
public record TransferSettings(
        Path weights,
        int epochs,
        double lr,
        int fineTuneEpochs,
        double backboneLrFactor,
        boolean imagenetNormalize,
        PretrainSettings pretrain) {}

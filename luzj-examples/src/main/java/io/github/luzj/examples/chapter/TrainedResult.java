package io.github.luzj.examples.chapter;

/** The result of an experiment that trains one network: its fit's figures first. */
public interface TrainedResult extends ExperimentResult {

    /** The fit's history and figures. */
    TrainingResult training();

    @Override
    default boolean interrupted() {
        return training().interrupted();
    }
}

package org.asynctask.exporter.simulator;

import java.util.List;
import java.util.function.Function;

/** The simulated APIs the simulator server runs, in the order their sources appear in the configurations it writes. */
final class SimulatedApis {
    static final List<Function<SimulatedApi.Setting, SimulatedApi>> REGISTERED =
            List.of(SimulatedFc3::new, SimulatedFc2::new, SimulatedFunctionGraph::new, SimulatedScf::new);

    private SimulatedApis() {}
}

package org.asynctask.exporter.simulator;

import java.nio.file.Path;
import java.time.Clock;

/**
 * One provider's simulated API, as the simulator server runs it: its handler on its HTTP context, its demo
 * account, its functions, and its sources in the configurations the simulator writes. The server names no
 * provider: it runs the APIs of {@link SimulatedApis#REGISTERED}, one instance of each per start.
 */
public abstract class SimulatedApi {
    /** What each simulated API is made with, at every start of the server. */
    record Setting(
            TaskLifecycleEngine engine, SimPopulation population, SimProfile profile, Clock clock, Faults faults) {}

    final TaskLifecycleEngine engine;
    final SimProfile profile;

    SimulatedApi(Setting setting) {
        this.engine = setting.engine();
        this.profile = setting.profile();
    }

    /** The provider id of the sources that poll it. */
    public abstract String providerId();

    /** The path its API's requests start with ({@code "/"}: the catch-all, for an API that posts to the root). */
    abstract String contextPath();

    abstract ApiHandler handler();

    /** The name of its demo secret's file in the simulator's directory (the APIs of one account share one). */
    abstract String secretFile();

    /** The demo secret: not a real one, it opens nothing but this simulator. */
    abstract String secret();

    abstract void addDemoFunctions();

    /** The {@code i}-th of a large account's functions ({@code simulate --functions N}). */
    abstract void addLargeAccountFunction(int i);

    /** Its sources in the demo's configuration. */
    abstract void demoSources(SimulatorConfigs.Blocks out, Path secret);

    /** Its {@code s}-th source in a large account's configuration. */
    abstract void scaleSource(SimulatorConfigs.Blocks out, int s, SimPopulation population, Path secret);

    /** Makes every page token handed out so far invalid, as when the provider's tokens expire (if it has any). */
    void expirePageTokens() {}
}

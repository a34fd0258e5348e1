package org.asynctask.exporter.simulator;

import com.sun.net.httpserver.HttpHandler;

/** A simulated API's handler: it answers its requests, and says no in its provider's format when faults are injected. */
interface ApiHandler extends HttpHandler, ErrorAnswers {}

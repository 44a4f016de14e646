package io.github.luzj.fit.internal;

import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;

/** Whether the application bound an SLF4J provider; without one, SLF4J drops every message. */
final class Slf4jProvider {

    private Slf4jProvider() {}

    static boolean present() {
        return !(LoggerFactory.getILoggerFactory() instanceof NOPLoggerFactory);
    }
}

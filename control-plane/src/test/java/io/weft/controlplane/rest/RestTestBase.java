package io.weft.controlplane.rest;

import java.net.URL;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import io.quarkus.test.common.http.TestHTTPResource;

/** A fresh {@link RestFixture} per test, cleaned up after it. */
abstract class RestTestBase {
    @TestHTTPResource("/")
    URL url;

    RestFixture fx;

    @BeforeEach
    void openFixture() {
        fx = new RestFixture(url);
    }

    @AfterEach
    void closeFixture() {
        fx.cleanup();
    }
}

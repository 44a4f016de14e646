package io.github.luzj.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GradModeTest {

    private boolean before;

    @BeforeEach
    void loadEngine() {
        assertThat(Engine.getInstance().getEngineName()).isEqualTo("PyTorch");
        before = JniUtils.isGradMode();
    }

    @AfterEach
    void restore() {
        JniUtils.setGradMode(before);
    }

    @Test
    void turnsGradModeOffInsideAndBackOnAfter() {
        JniUtils.setGradMode(true);
        try (GradMode ignored = GradMode.off()) {
            assertThat(JniUtils.isGradMode()).isFalse();
        }
        assertThat(JniUtils.isGradMode()).isTrue();
    }

    @Test
    void leavesGradModeOffWhenItWasOff() {
        JniUtils.setGradMode(false);
        try (GradMode ignored = GradMode.off()) {
            assertThat(JniUtils.isGradMode()).isFalse();
        }
        assertThat(JniUtils.isGradMode()).isFalse();
    }

    @Test
    void nestedScopesRestoreOnlyAtTheOutermost() {
        JniUtils.setGradMode(true);
        try (GradMode outer = GradMode.off()) {
            try (GradMode inner = GradMode.off()) {
                assertThat(JniUtils.isGradMode()).isFalse();
            }
            assertThat(JniUtils.isGradMode()).isFalse();
        }
        assertThat(JniUtils.isGradMode()).isTrue();
    }

    @Test
    void restoresWhenTheBodyThrows() {
        JniUtils.setGradMode(true);
        assertThatThrownBy(() -> {
                    try (GradMode ignored = GradMode.off()) {
                        throw new IllegalStateException("boom");
                    }
                })
                .hasMessage("boom");
        assertThat(JniUtils.isGradMode()).isTrue();
    }

    @Test
    void affectsOnlyTheCallingThread() throws InterruptedException {
        JniUtils.setGradMode(true);
        boolean[] otherThreadOn = new boolean[1];
        try (GradMode ignored = GradMode.off()) {
            Thread t = new Thread(() -> {
                JniUtils.setGradMode(true);
                otherThreadOn[0] = JniUtils.isGradMode();
            });
            t.start();
            t.join();
            assertThat(JniUtils.isGradMode()).isFalse();
        }
        assertThat(otherThreadOn[0]).isTrue();
        assertThat(JniUtils.isGradMode()).isTrue();
    }
}

package io.animegan.common.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CallbackPolicyTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://169.254.169.254/latest/meta-data/",
                "http://10.0.0.1/",
                "http://[::1]/",
                "http://localhost:8080/hook",
                "http://127.0.0.1/",
                "http://0.0.0.0/",
                "http://172.16.5.4/",
                "http://192.168.1.1/",
                "http://100.100.100.200/",
                "http://[fd00:ec2::254]/",
                "http://[fe80::1]/",
                "http://224.0.0.1/",
                "http://[::ffff:127.0.0.1]/",
                "http://[64:ff9b::a00:1]/",
                "http://255.255.255.255/"
            })
    void nonPublicAddressesAreRefused(String url) {
        assertThatThrownBy(() -> CallbackPolicy.STRICT.check(url))
                .isInstanceOf(CallbackRefusedException.class)
                .hasMessageContaining("not a public address");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ftp://93.184.215.14/",
                "/relative/hook",
                "mailto:someone@example.org",
                "http://user:secret@93.184.215.14/",
                "http:///nohost",
                "not a url",
                ""
            })
    void malformedOrCredentialBearingUrlsAreRefused(String url) {
        assertThatThrownBy(() -> CallbackPolicy.STRICT.check(url)).isInstanceOf(CallbackRefusedException.class);
    }

    @Test
    void publicAddressesPass() {
        assertThat(CallbackPolicy.STRICT
                        .check("https://93.184.215.14:8443/hooks?x=1")
                        .getHost())
                .isEqualTo("93.184.215.14");
        assertThat(CallbackPolicy.STRICT.check("http://[2606:4700::1111]/").getPort())
                .isEqualTo(-1);
    }

    @Test
    void theAllowListOpensNamedAddressesNetworksAndHosts() throws Exception {
        CallbackPolicy policy = CallbackPolicy.allowing(List.of("127.0.0.1", " 10.1.0.0/16", "hooks.internal", "::1"));
        assertThat(policy.check("http://127.0.0.1:9999/hook").getPort()).isEqualTo(9999);
        assertThat(policy.check("http://[::1]/").getHost()).isEqualTo("[::1]");
        assertThat(policy.permits("x", InetAddress.getByName("10.1.200.3"))).isTrue();
        assertThat(policy.permits("x", InetAddress.getByName("10.2.0.1"))).isFalse();
        assertThat(policy.permits("HOOKS.internal", InetAddress.getByName("10.9.9.9")))
                .isTrue();
        assertThat(policy.permits("x", InetAddress.getByName("127.0.0.2"))).isFalse();
        assertThatThrownBy(() -> policy.check("http://169.254.169.254/")).isInstanceOf(CallbackRefusedException.class);
    }

    @Test
    void aNameIsRefusedWhenAnyOfItsAddressesIs() {
        // localhost resolves to 127.0.0.1 and usually ::1: allowing one of them is not enough for the other
        assertThatThrownBy(() -> CallbackPolicy.STRICT.check("http://localhost/"))
                .isInstanceOf(CallbackRefusedException.class);
        assertThat(CallbackPolicy.allowing(List.of("localhost"))
                        .check("http://localhost/")
                        .getHost())
                .isEqualTo("localhost");
    }

    @Test
    void badAllowListEntriesAreRefusedAtStart() {
        assertThatThrownBy(() -> CallbackPolicy.allowing(List.of("10.0.0.0/33")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CallbackPolicy.allowing(List.of("hooks.internal/8")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

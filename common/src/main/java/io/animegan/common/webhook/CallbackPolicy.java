package io.animegan.common.webhook;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which callback URLs the service may call: absolute http or https, no credentials, and a host
 * whose every address is public. Loopback, private (RFC 1918, fc00::/7), shared (100.64/10, where
 * a cloud keeps its metadata service), link-local (169.254/16 with the usual metadata address,
 * fe80::/10), unspecified, multicast and reserved addresses are refused unless the operator's
 * allow-list names the host or a network holding the address. Ingest checks a URL when the work
 * is submitted; webhook-stage checks the addresses again when it connects, because a name may
 * resolve elsewhere by then.
 */
public final class CallbackPolicy {

    /** Refuses every non-public address. */
    public static final CallbackPolicy STRICT = new CallbackPolicy(Set.of(), List.of());

    /** Longest callback URL accepted. */
    public static final int MAX_URL_LENGTH = 2048;

    private static final List<Network> NON_PUBLIC = Network.parseAll(List.of(
            "0.0.0.0/8",
            "10.0.0.0/8",
            "100.64.0.0/10",
            "127.0.0.0/8",
            "169.254.0.0/16",
            "172.16.0.0/12",
            "192.0.0.0/24",
            "192.168.0.0/16",
            "198.18.0.0/15",
            "224.0.0.0/4",
            "240.0.0.0/4",
            "::/128",
            "::1/128",
            "fc00::/7",
            "fe80::/10",
            "fec0::/10",
            "ff00::/8"));
    /**
     * IPv6 ranges that carry an IPv4 address in their last 32 bits (compatible, NAT64); the JDK
     * already turns IPv4-mapped addresses (::ffff:a.b.c.d) into IPv4 ones.
     */
    private static final List<Network> EMBEDDING_IPV4 = Network.parseAll(List.of("::/96", "64:ff9b::/96"));

    private final Set<String> hosts;
    private final List<Network> networks;

    private CallbackPolicy(Set<String> hosts, List<Network> networks) {
        this.hosts = hosts;
        this.networks = networks;
    }

    /**
     * @param allowed host names, addresses or CIDR networks (e.g. {@code 127.0.0.1},
     *     {@code hooks.internal}, {@code 10.1.0.0/16}) the callbacks may reach although not public
     */
    public static CallbackPolicy allowing(List<String> allowed) {
        Set<String> names = new HashSet<>();
        List<Network> nets = new ArrayList<>();
        for (String entry : allowed == null ? List.<String>of() : allowed) {
            String e = entry.strip().toLowerCase(Locale.ROOT);
            if (e.isEmpty()) {
                continue;
            }
            if (e.contains("/") || Network.isLiteral(e)) {
                nets.add(Network.parse(e.contains("/") ? e : e + "/" + (e.contains(":") ? 128 : 32)));
            } else {
                names.add(e);
            }
        }
        return new CallbackPolicy(Set.copyOf(names), List.copyOf(nets));
    }

    /** The URL, when it is a well-formed http(s) URL whose host resolves only to addresses this policy permits. */
    public URI check(String url) {
        URI uri = checkForm(url);
        resolve(uri.getHost());
        return uri;
    }

    /** The URL, when it is a well-formed absolute http(s) URL without credentials; no name is resolved. */
    public static URI checkForm(String url) {
        if (url == null || url.isBlank() || url.length() > MAX_URL_LENGTH) {
            throw new CallbackRefusedException(
                    "the callback URL must be an http or https URL of at most " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new CallbackRefusedException("the callback URL is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
            throw new CallbackRefusedException("the callback URL must be an absolute http or https URL");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new CallbackRefusedException("the callback URL names no host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new CallbackRefusedException("the callback URL must not carry credentials");
        }
        return uri;
    }

    /**
     * Every address of {@code host}, when this policy permits all of them: one refused address
     * refuses the host, so a name cannot smuggle a private address in beside a public one.
     */
    public List<InetAddress> resolve(String host) {
        String name = unbracket(host);
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(name);
        } catch (UnknownHostException e) {
            throw new CallbackRefusedException("the callback host " + host + " does not resolve");
        }
        for (InetAddress address : addresses) {
            if (!permits(name, address)) {
                throw new CallbackRefusedException("the callback host " + host + " resolves to "
                        + address.getHostAddress() + ", which is not a public address; an operator can allow it "
                        + "with --webhook-allow-hosts");
            }
        }
        return List.of(addresses);
    }

    /** Whether a callback to {@code host} may connect to {@code address}. */
    public boolean permits(String host, InetAddress address) {
        if (hosts.contains(unbracket(host).toLowerCase(Locale.ROOT))) {
            return true;
        }
        if (networks.stream().anyMatch(n -> n.contains(address))) {
            return true;
        }
        return isPublic(address);
    }

    /** Whether the address lies outside every non-public range (IPv4 inside IPv6 is judged as IPv4). */
    static boolean isPublic(InetAddress address) {
        if (NON_PUBLIC.stream().anyMatch(n -> n.contains(address))) {
            return false;
        }
        if (EMBEDDING_IPV4.stream().anyMatch(n -> n.contains(address))) {
            byte[] b = address.getAddress();
            try {
                return isPublic(InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16)));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        return true;
    }

    /** Whether {@code host} (as a URL has it, IPv6 in brackets) is an address rather than a name. */
    public static boolean isAddressLiteral(String host) {
        return Network.isLiteral(unbracket(host).toLowerCase(Locale.ROOT));
    }

    private static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    @Override
    public String toString() {
        return "CallbackPolicy(allowing "
                + (hosts.isEmpty() && networks.isEmpty()
                        ? "no private address"
                        : hosts.stream().sorted().collect(Collectors.joining(", ")) + " " + networks)
                + ")";
    }

    /** An address range: a prefix of {@code bits} bits. */
    private record Network(byte[] prefix, int bits) {

        static List<Network> parseAll(List<String> cidrs) {
            return cidrs.stream().map(Network::parse).toList();
        }

        static Network parse(String cidr) {
            int slash = cidr.indexOf('/');
            String address = cidr.substring(0, slash);
            if (!isLiteral(address)) {
                throw new IllegalArgumentException("not an address range: " + cidr);
            }
            byte[] bytes;
            try {
                bytes = InetAddress.getByName(address).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an address range: " + cidr, e);
            }
            int bits;
            try {
                bits = Integer.parseInt(cidr.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an address range: " + cidr, e);
            }
            if (bits < 0 || bits > bytes.length * 8) {
                throw new IllegalArgumentException("not an address range: " + cidr);
            }
            return new Network(bytes, bits);
        }

        /** An IPv4 or IPv6 literal, so parsing it never asks DNS. */
        static boolean isLiteral(String s) {
            return s.matches("[0-9.]+") && s.chars().filter(c -> c == '.').count() == 3
                    || s.contains(":") && s.matches("[0-9a-f:.]+");
        }

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != prefix.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (a[full] & mask) == (prefix[full] & mask);
        }

        @Override
        public String toString() {
            try {
                return InetAddress.getByAddress(prefix).getHostAddress() + "/" + bits;
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}

//! The machine's addresses a phone on the same network can reach.

use std::net::IpAddr;

/// A network interface and one of its addresses.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Interface {
    /// The interface's name (`wlan0`, `en0`).
    pub name: String,
    /// Its address.
    pub addr: IpAddr,
    /// Whether a phone could usefully reach it: not loopback, not
    /// link-local, not a virtual adapter (containers, VMs, VPNs).
    pub lan: bool,
}

/// Names of adapters that are not the room's network: containers, virtual
/// machines, bridges and VPN tunnels.
const VIRTUAL: [&str; 12] =
    ["docker", "veth", "br-", "virbr", "vmnet", "vboxnet", "tun", "tap", "utun", "zt", "tailscale", "wg"];

fn is_lan(name: &str, addr: IpAddr) -> bool {
    let virtual_adapter = VIRTUAL.iter().any(|v| name.starts_with(v));
    let usable = match addr {
        IpAddr::V4(a) => !a.is_loopback() && !a.is_link_local() && !a.is_unspecified(),
        IpAddr::V6(a) => !a.is_loopback() && !a.is_unspecified() && (a.segments()[0] & 0xffc0) != 0xfe80,
    };
    usable && !virtual_adapter
}

/// Every address of the machine, LAN ones first (IPv4 before IPv6).
#[must_use]
pub fn lan_addresses() -> Vec<Interface> {
    let mut all: Vec<Interface> = if_addrs::get_if_addrs()
        .unwrap_or_default()
        .into_iter()
        .map(|i| {
            let addr = i.ip();
            Interface { lan: is_lan(&i.name, addr), name: i.name, addr }
        })
        .collect();
    all.sort_by_key(|i| (!i.lan, i.addr.is_ipv6()));
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_link_local_and_virtual_adapters_are_not_the_room() {
        assert!(is_lan("wlan0", "192.168.1.20".parse().unwrap()));
        assert!(!is_lan("lo", "127.0.0.1".parse().unwrap()));
        assert!(!is_lan("eth0", "169.254.3.4".parse().unwrap()));
        assert!(!is_lan("docker0", "172.17.0.1".parse().unwrap()));
        assert!(!is_lan("eth0", "fe80::1".parse().unwrap()));
        assert!(is_lan("eth0", "2001:db8::5".parse().unwrap()));
    }
}

import { describe, expect, it } from "vitest";
import { RoomScreen, firstChoice, type RoomBackend, type RoomView } from "./room.svelte";

const view: RoomView = {
  url: "http://192.168.1.20:4000/r/abc/",
  code: "XTH9Q7",
  qr_svg: "<svg/>",
  seats: [],
  rating: true,
  voting: true,
  pain: true,
  revealed: false,
  locked: false,
  approve_pain: false,
  pending: [],
  trouble: null,
};

function fake(overrides: Partial<RoomBackend> = {}): RoomBackend {
  return {
    interfaces: async () => [],
    open: async () => ({ status: "ok", data: view }),
    close: async () => ({ status: "ok", data: null }),
    status: async () => view,
    control: async () => ({ status: "ok", data: view }),
    remove: async () => ({ status: "ok", data: null }),
    settle: async () => ({ status: "ok", data: null }),
    onPulse: async () => () => {},
    ...overrides,
  };
}

describe("the room from the window", () => {
  it("offers a LAN IPv4 address first, else this machine only", () => {
    expect(firstChoice([{ name: "lo", addr: "127.0.0.1", lan: false }, { name: "wlan0", addr: "192.168.1.20", lan: true }])).toBe("192.168.1.20");
    expect(firstChoice([{ name: "eth0", addr: "2001:db8::5", lan: true }])).toBe("127.0.0.1");
    expect(firstChoice([])).toBe("127.0.0.1");
  });

  it("shows why a room did not open and keeps none", async () => {
    const room = new RoomScreen(fake({ open: async () => ({ status: "error", error: { code: "room", message: "the room could not open: address in use" } }) }), async () => {});
    expect(await room.open("192.168.1.20")).toBe(false);
    expect(room.room).toBeNull();
    expect(room.error).toContain("address in use");
  });

  it("after the phones act, fetches the room and then the map once per pulse", async () => {
    let pulse: () => void = () => {};
    let maps = 0;
    const room = new RoomScreen(fake({ onPulse: async (h) => ((pulse = h), () => {}) }), async () => void (maps += 1));
    await room.follow();
    await room.open("127.0.0.1");
    pulse();
    await new Promise((r) => setTimeout(r, 0));
    expect(maps).toBe(1);
    expect(room.room?.code).toBe("XTH9Q7");
    await room.close();
    expect(room.room).toBeNull();
  });
});

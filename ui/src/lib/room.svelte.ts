// The workshop room, as the window runs it: open it on an address of this
// machine, show the QR code and the code, open and close the activities,
// reveal, lock, approve pain points from phones, remove a participant,
// close it. The shell tells the window at most every 100 ms that phones
// acted; the window then fetches the room and the map once.
import { commands, events, type CommandError, type InterfaceView, type Result, type RoomControl, type RoomView } from "./bindings";

export type { InterfaceView, RoomControl, RoomView };

export interface RoomBackend {
  interfaces(): Promise<InterfaceView[]>;
  open(addr: string): Promise<Result<RoomView, CommandError>>;
  close(): Promise<Result<null, CommandError>>;
  status(): Promise<RoomView | null>;
  control(control: RoomControl): Promise<Result<RoomView, CommandError>>;
  remove(name: string): Promise<Result<null, CommandError>>;
  settle(id: string, approve: boolean): Promise<Result<null, CommandError>>;
  onPulse(handler: () => void): Promise<() => void>;
}

export const tauriRoomBackend: RoomBackend = {
  interfaces: () => commands.roomInterfaces(),
  open: (addr) => commands.openRoom(addr),
  close: () => commands.closeRoom(),
  status: () => commands.roomStatus(),
  control: (control) => commands.controlRoom(control),
  remove: (name) => commands.removeRoomParticipant(name),
  settle: (id, approve) => commands.settlePainPoint(id, approve),
  onPulse: (handler) => events.roomPulse.listen(() => handler()),
};

/** The address to offer first: a LAN one, else this machine only. */
export function firstChoice(interfaces: InterfaceView[]): string {
  return interfaces.find((i) => i.lan && !i.addr.includes(":"))?.addr ?? "127.0.0.1";
}

export class RoomScreen {
  room: RoomView | null = $state(null);
  interfaces: InterfaceView[] = $state([]);
  error: string | null = $state(null);
  busy = $state(false);

  /** `changed` is called after phones acted, to fetch the map again. */
  constructor(
    private readonly backend: RoomBackend,
    private readonly changed: () => Promise<void>,
  ) {}

  async listInterfaces(): Promise<void> {
    this.interfaces = await this.backend.interfaces();
  }

  private take(result: Result<RoomView | null, CommandError>): boolean {
    if (result.status === "error") {
      this.error = result.error.message;
      return false;
    }
    this.error = null;
    if (result.data !== null) this.room = result.data;
    return true;
  }

  async open(addr: string): Promise<boolean> {
    this.busy = true;
    try {
      return this.take(await this.backend.open(addr));
    } finally {
      this.busy = false;
    }
  }

  async close(): Promise<void> {
    const result = await this.backend.close();
    if (result.status === "ok") this.room = null;
    else this.error = result.error.message;
  }

  async control(control: RoomControl): Promise<void> {
    this.take(await this.backend.control(control));
  }

  async remove(name: string): Promise<void> {
    const result = await this.backend.remove(name);
    if (result.status === "error") this.error = result.error.message;
    await this.refresh();
  }

  async settle(id: string, approve: boolean): Promise<void> {
    const result = await this.backend.settle(id, approve);
    if (result.status === "error") this.error = result.error.message;
    await this.refresh();
  }

  async refresh(): Promise<void> {
    this.room = await this.backend.status();
    await this.changed();
  }

  /** Follows the phones' actions until the returned function is called. */
  follow(): Promise<() => void> {
    return this.backend.onPulse(() => void this.refresh());
  }
}

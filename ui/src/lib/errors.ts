import type { ErrorCode } from "./bindings";

/** A heading for each error code; the message under it comes from the shell. */
export function errorHeading(code: ErrorCode): string {
  switch (code) {
    case "no_map":
      return "No map is open";
    case "not_found":
      return "File not found";
    case "not_a_map":
      return "Not a Waymark map";
    case "too_new":
      return "Made by a newer Waymark";
    case "damaged":
      return "The map file is damaged";
    case "io":
      return "Could not read or save the file";
    case "invalid":
      return "That change was not made";
    case "read_only":
      return "This map is read-only";
    case "not_saved":
      return "The change could not be saved";
    case "room":
      return "The room";
    case "portfolio":
      return "The portfolio could not be read";
    case "password":
      return "The library wants a password";
    case "library":
      return "The library could not be used";
    case "cancelled":
      return "Stopped";
  }
}


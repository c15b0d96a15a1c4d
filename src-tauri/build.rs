//! Generates the Tauri context (config, capabilities, icons) at compile time.

fn main() {
    // The built UI is embedded in the binary: rebuild when it changes, or a
    // new UI build would ship inside an old binary.
    println!("cargo:rerun-if-changed=../ui/dist");
    tauri_build::build();
}

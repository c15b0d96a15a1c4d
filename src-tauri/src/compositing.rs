//! How WebKitGTK puts the page on screen. Its default on Linux composites the
//! page in layers through OpenGL; where OpenGL is software (llvmpipe: virtual
//! machines, remote desktops, machines without a driver for their GPU) that
//! path made the map slow and heavy. Measured on a 1,000-step map
//! (BENCHMARKS.md, "The window at scale"): an edit that re-ranks the weak
//! spots took about 1 s to reach the screen against 0.37 s without layers,
//! because the layer of the scrolled drawing is painted whole, off-screen
//! parts included; and the webview held about 250 MB more.
//!
//! The map is one flat drawing that never animates, so the window draws the
//! page without compositing layers. `WAYMARK_ACCELERATED_COMPOSITING=1`
//! keeps WebKit's own choice, for a machine where layers on a real GPU serve
//! better.

/// Sets the window's page to draw without compositing layers, unless the
/// environment asks to keep WebKit's default.
pub fn choose<R: tauri::Runtime>(window: &tauri::WebviewWindow<R>) {
    if std::env::var_os("WAYMARK_ACCELERATED_COMPOSITING").is_some_and(|v| v == "1") {
        return;
    }
    #[cfg(target_os = "linux")]
    let _ = window.with_webview(|webview| {
        use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
        if let Some(settings) = WebViewExt::settings(&webview.inner()) {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        }
    });
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}

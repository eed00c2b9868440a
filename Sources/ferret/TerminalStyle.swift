import Foundation

/// ANSI colour for human output: only when stdout is a terminal, `NO_COLOR` is unset and `TERM` is not `dumb`.
struct TerminalStyle {
    let enabled: Bool

    static func forStandardOutput() -> TerminalStyle {
        let environment = ProcessInfo.processInfo.environment
        let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        return TerminalStyle(enabled: isatty(STDOUT_FILENO) != 0 && !noColor && environment["TERM"] != "dumb")
    }

    func path(_ text: String) -> String { wrap(text, "35") }        // magenta, like ripgrep
    func lines(_ text: String) -> String { wrap(text, "32") }       // green
    func dim(_ text: String) -> String { wrap(text, "2") }
    func match(_ text: String) -> String { wrap(text, "1;31") }     // bold red

    private func wrap(_ text: String, _ code: String) -> String {
        enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}

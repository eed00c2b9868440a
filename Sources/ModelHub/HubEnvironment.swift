import Foundation
import ModelFiles

/// How to reach the Hugging Face Hub, read from the same environment variables `huggingface_hub` reads, so a
/// machine set up for Python tools is set up for Ferret: `HF_ENDPOINT` (a mirror), `HF_TOKEN` (or the token file
/// `huggingface-cli login` writes), and offline mode (`FERRET_OFFLINE`, `HF_HUB_OFFLINE`). Proxies come from
/// `https_proxy` / `http_proxy` / `no_proxy`, which the HTTP stack (libcurl) honours by itself.
public struct HubEnvironment: Sendable {
    public var endpoint: URL
    public var token: String?
    public var isOffline: Bool
    /// Which variable made it offline, for the message.
    public var offlineReason: String?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let endpoint = environment["HF_ENDPOINT"].flatMap { $0.isEmpty ? nil : $0 } ?? "https://huggingface.co"
        self.endpoint = URL(string: endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint)
            ?? URL(string: "https://huggingface.co")!
        token = Self.token(environment)
        offlineReason = ModelStore(environment: environment).offlineVariable
        isOffline = offlineReason != nil
    }

    /// `HF_TOKEN`, the older `HUGGING_FACE_HUB_TOKEN`, else the file `huggingface-cli login` writes
    /// (`$HF_TOKEN_PATH`, `$HF_HOME/token`, `~/.cache/huggingface/token`).
    private static func token(_ environment: [String: String]) -> String? {
        for name in ["HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"] {
            if let value = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty { return value }
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        let path = environment["HF_TOKEN_PATH"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["HF_HOME"].flatMap { $0.isEmpty ? nil : $0 + "/token" }
            ?? home + "/.cache/huggingface/token"
        guard let data = FileManager.default.contents(atPath: path), data.count < 4096 else { return nil }
        let value = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return value.isEmpty ? nil : value
    }
}

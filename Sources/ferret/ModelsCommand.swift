import ArgumentParser
import Foundation
import ModelFiles

struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "The models on this machine (Ferret's store and the Hugging Face cache).",
        discussion: """
        Defaults: the encoder LiquidAI/LFM2-ColBERT-350M (`ferret index` without --model) and the generator \
        LiquidAI/LFM2.5-1.2B-Instruct (`ask` / `chat` without --generator), used when installed. \
        FERRET_OFFLINE=1 or HF_HUB_OFFLINE=1 keeps Ferret off the network.
        """,
        subcommands: [List.self, Pull.self, Verify.self, Import.self, Remove.self],
        defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List installed models: id, revision, role, architecture, parameters, dtype, size, path, source.",
            discussion: """
            Looks in $FERRET_HOME/models (default ~/.local/share/ferret/models) and the Hugging Face cache \
            ($HF_HUB_CACHE, $HF_HOME/hub or ~/.cache/huggingface/hub), read in place. Any listed id works as \
            --model / --generator (`OWNER/NAME`, `OWNER/NAME@REVISION`, `OWNER/NAME:FILE.gguf`).
            """)

        @Flag(name: .long, help: "Print the list as JSON.")
        var json = false

        func run() throws {
            try reportingErrors {
                let store = ModelStore()
                let models = store.installed()
                if json {
                    try Console.printJSON(models)
                    return
                }
                guard !models.isEmpty else {
                    print("no models in \(store.storeFolder.path) or \(store.hubCache.path)")
                    return
                }
                for model in models {
                    let parameters = model.parameters >= 1_000_000_000
                        ? String(format: "%.1fB", Double(model.parameters) / 1e9)
                        : String(format: "%.0fM", Double(model.parameters) / 1e6)
                    let size = String(format: "%.2f GB", Double(model.bytes) / 1e9)
                    print("\(model.id)\(model.revision.map { "@" + $0.prefix(12) } ?? "")  \(model.role.rawValue)  "
                          + "\(model.architecture ?? "?")  \(parameters) params  \(model.dtypes.first ?? "?")  \(size)  "
                          + "[\(model.source)] \(model.path)")
                }
            }
        }
    }
}

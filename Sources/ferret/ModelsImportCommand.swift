import ArgumentParser
import Foundation
import ModelFiles

extension ModelsCommand {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Install a model folder or .gguf file into Ferret's store (for machines without internet).",
            discussion: """
            The source is checked first (config.json and tokenizer.json present, every safetensors header readable, \
            a ColBERT encoder or a causal LM; a GGUF file must open with its tokenizer); a broken one is refused and \
            nothing is written. The files are copied into a staging folder in the store and renamed into place when \
            complete, with a .ferret-model.json recording each file's SHA-256 (`ferret models verify`). The id is \
            OWNER/NAME from a Hugging Face cache path (models--OWNER--NAME/snapshots/…), else local/<folder name>, \
            unless --as gives one.
            """)

        @Argument(help: ArgumentHelp("A model folder or a .gguf file.", valueName: "path"))
        var path: String

        @Option(name: .customLong("as"), help: ArgumentHelp("The id to install it under (default: from the path).", valueName: "owner/name"))
        var id: String?

        @Flag(name: .long, help: "Link to the source's files instead of copying them (the source must stay where it is).")
        var link = false

        @Flag(name: .long, help: "Replace a model already installed under the id.")
        var force = false

        @Flag(name: .long, help: "Print the result as JSON.")
        var json = false

        func validate() throws {
            if let id, RepositoryID(id).map({ $0.revision == nil && $0.file == nil }) != true {
                throw ValidationError("--as takes a repository id OWNER/NAME (letters, digits, -, _, .), got \(id)")
            }
        }

        func run() throws {
            try reportingErrors {
                let source = URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
                let result = try ModelImport(source: source, id: id.flatMap(RepositoryID.init), mode: link ? .link : .copy,
                                             force: force).run(in: ModelStore())
                if json {
                    try Console.printJSON(result)
                    return
                }
                let size = String(format: "%.2f GB", Double(result.bytes) / 1e9)
                print("\(result.replaced ? "replaced" : "imported") \(result.id) (\(result.role.rawValue), \(result.files) file\(result.files == 1 ? "" : "s"), "
                      + "\(size), \(result.mode == .link ? "linked" : "copied")) → \(result.folder)")
                let flag = result.role == .encoder ? "--model" : "--generator"
                Console.note("use it with \(flag) \(result.id)")
            }
        }
    }
}

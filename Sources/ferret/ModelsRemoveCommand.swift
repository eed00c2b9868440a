import ArgumentParser
import Foundation
import ModelFiles

extension ModelsCommand {
    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a model from Ferret's store (never from the Hugging Face cache).",
            discussion: """
            Deletes $FERRET_HOME/models/OWNER/NAME. For a linked import only the links go; the files they point to \
            stay. Models in the Hugging Face cache are used in place but not managed by Ferret: the message names the \
            folder to delete yourself.
            """)

        @Argument(help: ArgumentHelp("The model to remove.", valueName: "owner/name"))
        var id: String

        func validate() throws {
            if RepositoryID(id) == nil { throw ValidationError("\(id) is not a repository id (OWNER/NAME)") }
        }

        func run() throws {
            try reportingErrors {
                guard let repository = RepositoryID(id) else { return }
                let folder = try ModelStore().remove(repository)
                print("removed \(repository.repository) (\(folder.path))")
            }
        }
    }
}

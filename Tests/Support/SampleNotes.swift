import Foundation

/// Three one-line notes (tea, kettle, bicycle) that the question-answering tests index and ask about.
public enum SampleNotes {
    public static let files = [
        "tea.md": "Tea is grown on hillsides. Green tea is steamed quickly after picking.\n",
        "kettle.md": "The kettle switches off by itself when the water boils. Descale it every month.\n",
        "bike.md": "Bicycles have gears. A larger rear sprocket makes climbing easier.\n",
    ]

    /// Writes the notes into a new folder `notes` under `folder` and returns it.
    public static func write(under folder: URL) throws -> URL {
        let notes = folder.appendingPathComponent("notes")
        try FileManager.default.createDirectory(at: notes, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: notes.appendingPathComponent(name)) }
        return notes
    }
}

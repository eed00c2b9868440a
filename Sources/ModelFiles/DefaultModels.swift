/// The models Ferret uses when none is named: defined once, so the CLI's notes, the docs and the tests agree.
/// Neither is downloaded implicitly; `ferret models pull` fetches them and every command then finds them by id.
public enum DefaultModels {
    /// The ColBERT encoder `ferret index` uses without `--model` (and without `model` in ferret.toml) when installed.
    public static let encoder = RepositoryID(owner: "LiquidAI", name: "LFM2-ColBERT-350M")
    /// The instruct model `ask` and `chat` use without `--generator` when installed.
    public static let generator = RepositoryID(owner: "LiquidAI", name: "LFM2.5-1.2B-Instruct")
}

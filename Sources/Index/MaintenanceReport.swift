/// What `IndexDatabase.maintain` did.
public enum MaintenanceReport: Sendable, Equatable {
    /// Nothing to do (or too few vectors to train centroids).
    case upToDate
    /// Centroids (re-)trained on `tokens` vectors and every token re-assigned.
    case trained(centroids: Int, tokens: Int, seconds: Double)
    /// Pending postings and tombstones folded into the per-centroid lists.
    case compacted(postings: Int, seconds: Double)
}

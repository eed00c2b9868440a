import Generation

/// The OpenAI request fields that steer generation, shared by chat and text completions. Each is honoured or
/// refused with a 400 that names it; nothing is silently ignored.
protocol GenerationFields {
    var n: Int? { get }
    var stop: StopField? { get }
    var seed: Int? { get }
    var temperature: Double? { get }
    var top_p: Double? { get }
    var presence_penalty: Double? { get }
    var frequency_penalty: Double? { get }
    var logprobs: JSONValueCheck? { get }
    var logit_bias: JSONValueCheck? { get }
    var tools: JSONValueCheck? { get }
    var stream_options: StreamOptions? { get }
}

/// `stop`: one string or up to four.
struct StopField: Decodable {
    let strings: [String]

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            strings = []
        } else if let one = try? container.decode(String.self) {
            strings = [one]
        } else {
            strings = try container.decode([String].self)
        }
    }
}

struct StreamOptions: Decodable {
    let include_usage: Bool?
}

/// Any JSON value, kept only to know whether a field was set to something other than null / false / empty.
struct JSONValueCheck: Decodable {
    let isSet: Bool

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { isSet = false }
        else if let flag = try? container.decode(Bool.self) { isSet = flag }
        else if let list = try? container.decode([JSONValueCheck].self) { isSet = !list.isEmpty }
        else if let object = try? container.decode([String: JSONValueCheck].self) { isSet = !object.isEmpty }
        else { isSet = true }
    }
}

/// Checked generation settings.
struct GenerationOptions: Sendable {
    var sampling: SamplingParameters
    var stopStrings: [String]
    var includeUsage: Bool
}

extension GenerationFields {
    func generationOptions() throws -> GenerationOptions {
        func refuse(_ field: String, _ why: String) -> APIError {
            APIError.invalidRequest("`\(field)` \(why)", code: "unsupported_parameter")
        }
        if let n, n != 1 { throw refuse("n", "must be 1: Ferret writes one answer per request (got \(n))") }
        if logprobs?.isSet == true { throw refuse("logprobs", "is not supported") }
        if logit_bias?.isSet == true { throw refuse("logit_bias", "is not supported") }
        if tools?.isSet == true { throw refuse("tools", "is not supported: Ferret's models answer from the index, without tool calls") }
        if let presence_penalty, presence_penalty != 0 { throw refuse("presence_penalty", "is not supported (only 0)") }
        if let frequency_penalty, frequency_penalty != 0 { throw refuse("frequency_penalty", "is not supported (only 0)") }
        let temperature = self.temperature ?? 0
        guard temperature.isFinite, APILimits.temperature.contains(temperature) else {
            throw APIError.invalidRequest("`temperature` must be between 0 and 2", code: "invalid_temperature")
        }
        let topP = top_p ?? 1
        guard topP.isFinite, topP > 0, topP <= 1 else {
            throw APIError.invalidRequest("`top_p` must be in (0, 1]", code: "invalid_top_p")
        }
        let stops = stop?.strings ?? []
        guard stops.count <= APILimits.stopStrings, stops.allSatisfy({ !$0.isEmpty && $0.count <= APILimits.stopCharacters }) else {
            throw APIError.invalidRequest("`stop` takes up to \(APILimits.stopStrings) non-empty strings of at most "
                                          + "\(APILimits.stopCharacters) characters", code: "invalid_stop")
        }
        // A seed makes sampling repeatable; without one each request draws afresh.
        let seed = seed.map { UInt64(bitPattern: Int64($0)) } ?? UInt64.random(in: 0...UInt64.max)
        return GenerationOptions(sampling: SamplingParameters(temperature: Float(temperature), topP: Float(topP), seed: seed),
                                 stopStrings: stops, includeUsage: stream_options?.include_usage ?? false)
    }
}

/// `usage`, as OpenAI reports it.
struct Usage: Codable, Sendable {
    let prompt_tokens: Int
    let completion_tokens: Int
    let total_tokens: Int

    init(prompt: Int, completion: Int) {
        prompt_tokens = prompt
        completion_tokens = completion
        total_tokens = prompt + completion
    }
}

extension StopReason {
    /// OpenAI's `finish_reason`: `length` when the token limit cut the text, else `stop`.
    var finishReason: String { self == .length ? "length" : "stop" }
}

import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// JSON bodies in and out: snake_case keys as each type spells them, sorted for stable output, bounded input.
enum JSONResponse {
    static func make<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let data = (try? encoder.encode(value)) ?? Data(#"{"error":{"message":"could not encode the response","type":"server_error","code":null}}"#.utf8)
        return Response(status: status, headers: [.contentType: "application/json"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension Request {
    /// The body decoded as `T`; errors are API errors a client can act on (empty, too large, malformed).
    mutating func decodeJSON<T: Decodable>(_ type: T.Type, limit: Int = APILimits.bodyBytes) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await collectBody(upTo: limit)
        } catch {
            throw APIError(.contentTooLarge, type: "invalid_request_error", code: "body_too_large",
                           "the request body is larger than \(limit >> 20) MB")
        }
        guard buffer.readableBytes > 0 else {
            throw APIError.invalidRequest("the request needs a JSON body", code: "empty_body")
        }
        return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
    }
}

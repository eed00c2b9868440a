import Foundation
import Index
import MCP

/// `status`: the index's statistics and health, exactly as `ferret status --json` prints them.
extension FerretMCPServer {
    func status() throws -> CallTool.Result {
        var status = try database.status()
        status.health = try database.quickCheck()
        let text = String(decoding: try ToolOutput.json(status, pretty: true), as: UTF8.self)
        return try ToolOutput.result(text: text, structured: status)
    }
}

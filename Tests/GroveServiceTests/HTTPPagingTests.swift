import Foundation
import GroveService
import GroveStore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `GET /v1/jobs` answers a page at a time; job counts for `/metrics` come from one aggregate query.
@Suite struct HTTPPagingTests {
    @Test func jobsArePagedWithALinkToTheNextPage() async throws {
        let linkName = try #require(HTTPField.Name("Link"))
        try await HTTPFixture.withRouter { client, fixture in
            let upload = try await client.upload(TestCSV.separable(rows: 20), name: "pets.csv")
            var ids: [Int64] = []
            for i in 0..<5 {
                let model = i == 4 ? "other" : "default"
                let submitted = try await client.submitCSV(at: upload.path, domain: "d\(i)", model: model).decoded(APIJobSubmitted.self)
                ids.append(submitted.job.id)
            }
            let first = try await client.send(.get, "/v1/jobs?limit=2")
            #expect(try first.decoded([APIJob].self).map(\.id) == Array(ids[0..<2]))
            let link = try #require(first.headers[linkName])
            #expect(link == "</v1/jobs?limit=2&after=\(ids[1])>; rel=\"next\"")
            let second = try await client.send(.get, "/v1/jobs?limit=2&after=\(ids[1])")
            #expect(try second.decoded([APIJob].self).map(\.id) == Array(ids[2..<4]))
            let last = try await client.send(.get, "/v1/jobs?limit=2&after=\(ids[3])")
            #expect(try last.decoded([APIJob].self).map(\.id) == [ids[4]])
            #expect(last.headers[linkName] == nil)
            // Filters carry over to the next page's link.
            let scoped = try await client.send(.get, "/v1/jobs?model=default&limit=4")
            #expect(try scoped.decoded([APIJob].self).map(\.id) == Array(ids[0..<4]))
            #expect(scoped.headers[linkName]?.contains("model=default") == true)
            // Without a limit the page holds at most 100 jobs: all five here.
            #expect(try await client.send(.get, "/v1/jobs").decoded([APIJob].self).count == 5)

            let counts = try await fixture.daemon.store.jobCounts()
            #expect(counts.reduce(0) { $0 + $1.count } == 5)
            #expect(counts.filter { $0.model == "other" }.reduce(0) { $0 + $1.count } == 1)
            let metrics = try await client.send(.get, "/metrics")
            #expect(metrics.status == .ok)
        }
    }

    @Test func theClientReadsEveryPage() throws {
        #expect(GroveClient.jobsPath(model: nil, states: []) == "/v1/jobs")
        #expect(GroveClient.jobsPath(model: "m", states: [.queued, .failed], after: 7, limit: 1000)
            == "/v1/jobs?state=queued,failed&model=m&after=7&limit=1000")
        #expect(GroveClient.jobsPageSize == 1000)
    }
}

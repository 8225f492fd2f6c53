import Foundation
import Testing

@testable import DialReadyServer

@Suite struct ServerClockTests {
  @Test func manualClockMovesOnlyWhenTold() {
    let clock = ManualClock(Date(timeIntervalSince1970: 1_000))
    #expect(clock.now().timeIntervalSince1970 == 1_000)
    clock.advance(61)
    #expect(clock.now().timeIntervalSince1970 == 1_061)
  }
}

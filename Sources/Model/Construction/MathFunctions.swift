#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func _log(_ x: Double) -> Double { log(x) }
func _exp(_ x: Double) -> Double { exp(x) }

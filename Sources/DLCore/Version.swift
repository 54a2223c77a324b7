/// dl's version, as `dl --version` prints it and saved models record it.
public let dlVersion = "0.1"

//! The `apigw` binary end to end: real processes, real files, real exit codes.

#![cfg(test)]

mod check;
mod convert;
mod hostile;
mod serve;

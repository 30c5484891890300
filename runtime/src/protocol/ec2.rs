//! The ec2 protocol (`ec2Query`): query's form requests and XML responses, with EC2's
//! naming (the generated encoding uses `queryName`, else `locationName` capitalised), lists
//! always flattened (`Name.N`, nothing for an empty list), responses without a result
//! wrapper (members directly under `<{Op}Response>`, request id in `<requestId>`), and errors
//! as `<Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>`
//! (codes with dots such as `InvalidInstanceID.NotFound` kept as they are).

use super::query::{form_body, form_request, no_serde, parse_error_metadata, read_xml_output};
use super::{Protocol, ProtocolRequest, WireProtocol};
use crate::error::ErrorMetadata;
use crate::http::{Body, BoxError, HttpResponse};
use crate::operation::{OperationInput, OperationOutput};
use crate::service::OperationMeta;

/// The ec2 protocol.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ec2Query;

impl WireProtocol for Ec2Query {
    fn protocol(&self) -> Protocol {
        Protocol::Ec2
    }

    fn request<I: OperationInput + ?Sized>(
        &self,
        op: &OperationMeta,
        input: Option<&I>,
    ) -> Result<ProtocolRequest, BoxError> {
        Ok(form_request(Body::from(form_body(op, input, true)?)))
    }

    fn envelope(&self, _op: &OperationMeta, body: Body) -> ProtocolRequest {
        form_request(body)
    }

    fn read_output<O: OperationOutput>(&self, response: &HttpResponse) -> Result<O, BoxError> {
        read_xml_output(response)
    }

    fn deserialize<T: serde::de::DeserializeOwned>(&self, _body: &[u8]) -> Result<T, BoxError> {
        no_serde()
    }

    fn error_metadata(&self, response: &HttpResponse) -> ErrorMetadata {
        parse_error_metadata(response)
    }
}

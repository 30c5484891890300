//! The same DescribeVirtualInterfaces response (100 interfaces) in both protocols: parsed into
//! equal outputs by the generated client; prints the body sizes (quoted in BENCHMARKS.md).

use aws_lite_runtime::testing::{CannedResponse, TestServer};
use aws_sdk_directconnect::config::{BehaviorVersion, Credentials, Protocol, Region};
use aws_sdk_directconnect::{Client, Config};

fn interfaces(n: usize) -> serde_json::Value {
    let items: Vec<_> = (0..n)
        .map(|i| {
            serde_json::json!({
                "ownerAccount": "123456789012",
                "virtualInterfaceId": format!("dxvif-{i:08x}"),
                "location": "EqDC2",
                "connectionId": format!("dxcon-{i:08x}"),
                "virtualInterfaceType": "private",
                "virtualInterfaceName": format!("vif-{i}"),
                "vlan": 100 + i,
                "asn": 65000,
                "amazonSideAsn": 64512,
                "authKey": "0xabcdef",
                "amazonAddress": "169.254.255.1/30",
                "customerAddress": "169.254.255.2/30",
                "addressFamily": "ipv4",
                "virtualInterfaceState": "available",
                "customerRouterConfig": "<config/>",
                "mtu": 1500,
                "jumboFrameCapable": false,
                "virtualGatewayId": "vgw-12345678",
                "directConnectGatewayId": "",
                "routeFilterPrefixes": [{"cidr": "10.0.0.0/16"}],
                "bgpPeers": [{"bgpPeerId": format!("dxpeer-{i}"), "asn": 65000, "addressFamily": "ipv4", "bgpPeerState": "available", "bgpStatus": "up", "awsDeviceV2": "EqDC2-1"}],
                "region": "us-east-1",
                "awsDeviceV2": "EqDC2-1",
                "awsLogicalDeviceId": "EqDC2-1-logical",
                "tags": [{"key": "team", "value": "net"}],
                "siteLinkEnabled": false
            })
        })
        .collect();
    serde_json::json!({ "virtualInterfaces": items })
}

fn client(server: &TestServer, protocol: Protocol) -> Client {
    Client::from_conf(
        Config::builder()
            .region(Region::new("us-east-1"))
            .endpoint_url(server.url())
            .credentials_provider(Credentials::new("AKID", "secret", None, None, "sizes"))
            .protocol(protocol)
            .behavior_version(BehaviorVersion::latest())
            .build(),
    )
}

#[tokio::test]
async fn describe_virtual_interfaces_100_in_both_protocols() {
    let body = interfaces(100);
    let json = serde_json::to_vec(&body).unwrap();
    let mut cbor = Vec::new();
    ciborium::into_writer(&body, &mut cbor).unwrap();
    let server = TestServer::start(vec![
        CannedResponse::new(200, json.clone()),
        CannedResponse::new(200, cbor.clone()),
    ]);
    let from_json = client(&server, Protocol::AwsJson1_1)
        .describe_virtual_interfaces()
        .connection_id("dxcon-fg5678gh")
        .send()
        .await
        .unwrap();
    let from_cbor = client(&server, Protocol::RpcV2Cbor)
        .describe_virtual_interfaces()
        .connection_id("dxcon-fg5678gh")
        .send()
        .await
        .unwrap();
    assert_eq!(from_json.virtual_interfaces().len(), 100);
    assert_eq!(
        from_json.virtual_interfaces(),
        from_cbor.virtual_interfaces()
    );
    let requests = server.requests();
    println!(
        "DescribeVirtualInterfaces, 100 interfaces: response JSON {} bytes, CBOR {} bytes; request JSON {} bytes, CBOR {} bytes",
        json.len(),
        cbor.len(),
        requests[0].body.len(),
        requests[1].body.len()
    );
    assert!(cbor.len() < json.len());
}

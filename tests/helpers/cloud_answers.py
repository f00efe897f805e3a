# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cloud API data for the unit tests of the inventory code: Sakura Cloud NICs, a NIFCLOUD DescribeInstances answer.

Shaped as the APIs list them (the Sakura Cloud API's ``Interfaces`` entries, the NIFCLOUD computing API's XML), and a
usacloud profile v1 as saclient reads it.
"""

from __future__ import annotations

# Sakura Cloud NICs: the shared segment, a user switch with and without a recorded address, a disconnected NIC.
SHARED = {
    "IPAddress": "203.0.113.10",
    "UserIPAddress": None,
    "MACAddress": "9c:a3:ba:00:00:01",
    "Switch": {"ID": 1, "Scope": "shared"},
}
USER = {
    "IPAddress": None,
    "UserIPAddress": "192.168.0.11",
    "MACAddress": "9c:a3:ba:00:00:02",
    "Switch": {"ID": 2, "Scope": "user"},
}
USER_NO_ADDR = {
    "IPAddress": None,
    "UserIPAddress": None,
    "MACAddress": "9c:a3:ba:00:00:03",
    "Switch": {"ID": 3, "Scope": "user"},
}
DISCONNECTED = {"IPAddress": None, "UserIPAddress": None, "MACAddress": "9c:a3:ba:00:00:04", "Switch": None}

ANSWER = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<DescribeInstancesResponse xmlns="https://computing.api.nifcloud.com/api/">
<requestId>r-1</requestId>
<reservationSet>
 <item><reservationId></reservationId><instancesSet><item>
  <instanceId>web01</instanceId><instanceUniqueId>i-abcd1234</instanceUniqueId>
  <instanceState><code>16</code><name>running</name></instanceState>
  <instanceType>e-medium</instanceType><placement><availabilityZone>east-11</availabilityZone></placement>
  <keyName>key1</keyName><imageName>Ubuntu Server 24.04 LTS</imageName>
  <privateIpAddress>10.0.0.11</privateIpAddress><ipAddress>203.0.113.11</ipAddress>
  <description>cluster=example role=kube-node,etcd=true {{ lookup('pipe','id') }}</description>
  <networkInterfaceSet>
   <item><niftyNetworkId>net-COMMON_GLOBAL</niftyNetworkId><macAddress>e8:17:fc:00:00:01</macAddress>
    <attachment><deviceIndex>0</deviceIndex></attachment><association><publicIp>203.0.113.11</publicIp></association></item>
   <item><niftyNetworkId>net-COMMON_PRIVATE</niftyNetworkId><privateIpAddress>10.0.0.11</privateIpAddress></item>
  </networkInterfaceSet>
 </item></instancesSet></item>
 <item><instancesSet><item><instanceId>db01</instanceId><instanceState><name>stopped</name></instanceState>
  <description></description></item></instancesSet></item>
</reservationSet></DescribeInstancesResponse>"""

# A usacloud profile v1 (config.yaml) with every section saclient knows and two it does not read.
FULL_V1 = """\
version: 1
credentials:
  access_token: v1-token
  access_token_secret: v1-secret
endpoints:
  iam: http://127.0.0.1:18087
cli:
  default_output_type: table
sacloud-sdk-go:
  api_root_url: http://127.0.0.1:9/cloud/zone
  zone: is1a
  zones:
    - is1b
    - tk1a
  retry_max: 3
  retry_wait_min: 2
  retry_wait_max: 16
  api_request_rate_limit: 7
sacloud-sdk-dotnet:
  foobar: ignored
"""

apiVersion: apps/v1
kind: Deployment
metadata:
  name: nifcloud-additional-storage-csi-controller
spec:
  replicas: {{ .Values.controller.replicaCount }}
  template:
    {{- $sidecars := list (dict "key" "provisioner" "name" "csi-provisioner") (dict "key" "attacher" "name" "csi-attacher") (dict "key" "resizer" "name" "csi-resizer") (dict "key" "livenessProbe" "name" "liveness-probe") }}
    {{- include "test.pod" (dict "Values" .Values "Chart" .Chart "component" "controller" "sidecars" $sidecars) | nindent 4 }}
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: nifcloud-additional-storage-csi-node
spec:
  template:
    {{- $sidecars := list (dict "key" "nodeDriverRegistrar" "name" "node-driver-registrar") (dict "key" "livenessProbe" "name" "liveness-probe") }}
    {{- include "test.pod" (dict "Values" .Values "Chart" .Chart "component" "node" "sidecars" $sidecars) | nindent 4 }}

{{- /*
The construct of the upstream templates/storageclass.yaml (chart v1.1.0): each entry of storageClasses with
volumeBindingMode from sprig's merge of a dict holding WaitForFirstConsumer with the entry (merge keeps the first
dict's keys), the other keys written as they are. Not the upstream file.
*/ -}}
{{- range .Values.storageClasses }}
---
kind: StorageClass
apiVersion: storage.k8s.io/v1
metadata:
  name: {{ .name }}
  {{- with .annotations }}
  annotations: {{- toYaml . | nindent 4 }}
  {{- end }}
provisioner: additional-storage.csi.nifcloud.com
{{- $spec := merge (dict "volumeBindingMode" "WaitForFirstConsumer") . }}
{{ omit $spec "name" "annotations" "labels" | toYaml }}
{{- end }}

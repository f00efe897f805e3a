# The values a template sees after Helm's merge, as JSON, and how `with` and `toYaml` write them.
apiVersion: v1
kind: ConfigMap
metadata:
  name: merged-values
data:
  values.json: {{ toJson .Values | quote }}
---
apiVersion: v1
kind: Pod
metadata:
  name: probe
spec:
  {{- with .Values.selector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  containers:
    - name: probe
      image: probe
      env:
        - name: FIXED
          value: "1"
        {{- with .Values.extraEnv }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- with .Values.resources }}
      resources:
        {{- toYaml . | nindent 8 }}
      {{- end }}
